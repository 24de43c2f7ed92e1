import Crypto
import Foundation
import OutcomeStore
import StellantisModels

/// Turns a webhook request body into what the inbox stores: one notification per
/// message understood — a B2C `Message` (alone or in a batch array), or each event of a
/// B2B `MonitorEvents` / `RemoteEvents` body (`FleetEnvelope`) — and one dead letter per
/// item that is not usable. Each message is read by `InboundMessage.check`, the one
/// reading of a webhook message (the engine loop and replay read it the same way); the
/// inbox stores its canonical JSON (`MessageJSON`) with the vehicle, type and date read.
/// It never fails: a body that is not JSON at all becomes one dead letter.
package struct NotificationParser: Sendable {
    package init() {}

    /// - Parameters:
    ///   - body: the request body as received.
    ///   - queryVIN: a `vin` query parameter (a callback `Query` attribute), used for
    ///     messages that name no vehicle themselves.
    package func parse(_ body: Data, queryVIN: String? = nil) -> IntakeBatch {
        let parsed = Result { try body.withUnsafeBytes { try JSONValue(parsingUTF8: $0.bindMemory(to: UInt8.self)) } }
        guard case .success(let document) = parsed else {
            return IntakeBatch(deadLetters: [deadLetter(String(decoding: body, as: UTF8.self),
                                                        "the body is not JSON")])
        }
        if case .object(let object) = document, FleetEnvelope.isEnvelope(object) {
            return parseFleet(object, queryVIN: queryVIN)
        }
        let items: [JSONValue]
        let isBatch: Bool
        if case .array(let array) = document {
            items = array
            isBatch = true
        } else {
            items = [document]
            isBatch = false
        }
        var batch = IntakeBatch()
        batch.notifications.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let canonical = Data(MessageJSON.bytes(item))
            let text = String(decoding: canonical, as: UTF8.self)
            switch InboundMessage.check(item) {
            case .success(let message):
                batch.notifications.append(IntakeBatch.Notification(
                    dedupKey: Self.dedupKey(canonical, date: message.eventDate), vin: message.vin ?? queryVIN,
                    type: message.type, eventDate: message.eventDate, body: text))
            case .failure(let problem):
                let place = isBatch ? "item \(index): " : ""
                batch.deadLetters.append(deadLetter(text, place + problem.text))
            }
        }
        return batch
    }

    /// A B2B `MonitorEvents` / `RemoteEvents` body: one notification per event, stored as
    /// the `Message` that says the same (`FleetEnvelope`), named by the event's own `vin`.
    private func parseFleet(_ object: [String: JSONValue], queryVIN: String?) -> IntakeBatch {
        let envelope = FleetEnvelope(object)
        if let problem = envelope.problem {
            let text = String(decoding: MessageJSON.bytes(.object(object)), as: UTF8.self)
            return IntakeBatch(deadLetters: [deadLetter(text, problem)])
        }
        var batch = IntakeBatch()
        batch.notifications.reserveCapacity(envelope.items.count)
        let events = object["events"]?.arrayValue ?? []
        for item in envelope.items {
            let place = "events[\(item.index)]: "
            let received = { String(decoding: MessageJSON.bytes(events[item.index]), as: UTF8.self) }
            switch item.result {
            case .failure(let problem):
                batch.deadLetters.append(deadLetter(received(), place + problem.text))
            case .success(let (item, kind)):
                let canonical = Data(MessageJSON.bytes(item))
                switch InboundMessage.check(item) {
                case .success(let message):
                    let event = item[kind.eventKey]
                    let eventVIN = event?["vin"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                    batch.notifications.append(IntakeBatch.Notification(
                        dedupKey: Self.dedupKey(canonical, date: message.eventDate),
                        vin: eventVIN ?? message.vin ?? queryVIN, type: kind.rawValue,
                        eventDate: message.eventDate, body: String(decoding: canonical, as: UTF8.self)))
                case .failure(let problem):
                    let text = problem.text.hasPrefix(kind.eventKey + ".")
                        ? String(problem.text.dropFirst(kind.eventKey.count + 1)) : problem.text
                    batch.deadLetters.append(deadLetter(received(), place + text))
                }
            }
        }
        return batch
    }

    /// Recognises a retry of the same notification: `<date>/sha256:<hex>`, the message's
    /// own date (`date`, else its event's `eventDate`, as sent) and the SHA-256 of its
    /// canonical JSON (sorted keys, no insignificant spaces) — both come from the
    /// message's content, so a retry has the same key. The date goes first so that keys
    /// of recent notifications sit together in the inbox's unique index: inserting then
    /// touches a few index pages per transaction instead of one per notification. A
    /// message without a date, or with one longer than 40 characters or holding anything
    /// but printable ASCII (an RFC 3339 date is ASCII), has the plain `sha256:<hex>` key:
    /// keys are ASCII, so a NUL cannot cut one short in SQLite and two keys that Swift
    /// would find canonically equal are never two rows (found by the fleet fuzz).
    package static func dedupKey(_ canonical: Data, date: String?) -> String {
        let hash = dedupKey(canonical)
        guard let date, !date.isEmpty, date.utf8.count <= 40,
              date.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return hash }
        return date + "/" + hash
    }

    /// `sha256:<hex>` of a message's canonical JSON (the key's second half).
    package static func dedupKey(_ canonical: Data) -> String {
        let digest = SHA256.hash(data: canonical)
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
        return "sha256:" + String(decoding: bytes, as: UTF8.self)
    }

    private func deadLetter(_ body: String, _ error: String) -> IntakeBatch.DeadLetter {
        IntakeBatch.DeadLetter(source: "webhook", body: body, error: error)
    }
}
