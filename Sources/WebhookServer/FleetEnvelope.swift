import Foundation
import StellantisModels
import VehicleData

/// A B2B fleet notification (api-b2b-webhook-template-v3.yaml): `MonitorEvents`
/// `{monitorId, attributes, events: [MonitorEvent]}` or `RemoteEvents`
/// `{callbackId, attributes, events: [RemoteEvent]}` — one event, or a batch of them.
///
/// Each event is stored as one inbox notification, written as the B2C `Message` that
/// says the same thing — `{"type": "Monitor", "attributes", "monitorEvent": event +
/// monitorId}` or `{"type": "Remote", "callbackId", "attributes", "remoteEvent": event}` —
/// so that the engine, the dispatcher and replay read fleet and B2C notifications alike.
/// Nothing is lost: the envelope's `monitorId` becomes the event's (B2C `MonitorEvent`
/// carries it there), its `callbackId` and `attributes` the message's.
struct FleetEnvelope {
    enum Kind: String {
        case monitor = "Monitor", remote = "Remote"
        var eventKey: String { self == .monitor ? "monitorEvent" : "remoteEvent" }
        var envelope: String { self == .monitor ? "MonitorEvents (monitorId)" : "RemoteEvents (callbackId)" }
    }

    /// One event of the envelope, as a `Message`, or why it cannot be used.
    struct Item {
        var index: Int
        var result: Result<(message: JSONValue, kind: Kind), Problem>
    }

    struct Problem: Error { var text: String }

    /// The envelope-level problem (bad `monitorId`, `attributes`, `events`), if any: then
    /// the body is one dead letter.
    let problem: String?
    let items: [Item]

    /// Whether a top-level object is a fleet envelope rather than a B2C `Message`: it has
    /// `events` and neither `monitorEvent` nor `remoteEvent`.
    static func isEnvelope(_ object: [String: JSONValue]) -> Bool {
        object["events"] != nil && object["monitorEvent"] == nil && object["remoteEvent"] == nil
    }

    init(_ object: [String: JSONValue]) {
        if let problem = Self.envelopeProblem(object) {
            self.problem = problem
            self.items = []
            return
        }
        let declared: Kind? = switch (Self.present(object["monitorId"]), Self.present(object["callbackId"])) {
        case (_?, nil): .monitor
        case (nil, _?): .remote
        default: nil
        }
        let events = object["events"]?.arrayValue ?? []
        problem = nil
        items = events.enumerated().map { index, event in
            Item(index: index, result: Self.message(event, declared: declared, envelope: object))
        }
    }

    /// Checks the envelope's own fields against the template's types (`MonitorEvents` /
    /// `RemoteEvents` models, decoded without their events).
    private static func envelopeProblem(_ object: [String: JSONValue]) -> String? {
        guard case .array? = object["events"] else {
            return object["events"] == .null ? "events: expected an array, found null" : "events: expected an array"
        }
        var head = object
        head["events"] = .array([])
        let data = Data(MessageJSON.bytes(.object(head)))
        do {
            if object["callbackId"] != nil {
                _ = try JSONDecoder().decode(FleetRemoteEvents.self, from: data)
            } else {
                _ = try JSONDecoder().decode(FleetMonitorEvents.self, from: data)
            }
        } catch let error as DecodingError {
            return InboundMessage.describe(error)
        } catch {
            return "\(error)"
        }
        if Self.present(object["monitorId"]) != nil, Self.present(object["callbackId"]) != nil {
            return "both monitorId (MonitorEvents) and callbackId (RemoteEvents) are present"
        }
        return nil
    }

    /// Keys only a `MonitorEvent` has, and keys only a `RemoteEvent` has (the template).
    private static let monitorKeys = ["values", "extensions", "fleetId", "refresh"]
    private static let remoteKeys = ["remoteActionId", "remoteType", "eventStatus"]

    private static func message(_ event: JSONValue, declared: Kind?,
                                envelope: [String: JSONValue]) -> Result<(message: JSONValue, kind: Kind), Problem> {
        guard case .object(var fields) = event else {
            return .failure(Problem(text: "an event must be a JSON object"))
        }
        let looksMonitor = monitorKeys.contains { fields[$0] != nil }
        let looksRemote = remoteKeys.contains { fields[$0] != nil }
        let content: Kind? = looksMonitor == looksRemote ? nil : (looksMonitor ? .monitor : .remote)
        guard let kind = content ?? declared else {
            return .failure(Problem(text: looksMonitor
                ? "holds keys of both a monitor event (values, extensions) and a remote event (remoteActionId, eventStatus)"
                : "neither a monitor event (values, extensions) nor a remote event (remoteActionId, eventStatus)"))
        }
        if let declared, declared != kind {
            return .failure(Problem(text: "a \(kind.rawValue.lowercased()) event in a \(declared.envelope) envelope"))
        }
        var message: [String: JSONValue] = ["type": .string(kind.rawValue)]
        if let attributes = envelope["attributes"] { message["attributes"] = attributes }
        switch kind {
        case .monitor:
            if let monitorId = envelope["monitorId"], fields["monitorId"] == nil { fields["monitorId"] = monitorId }
        case .remote:
            if let callbackId = envelope["callbackId"] { message["callbackId"] = callbackId }
        }
        message[kind.eventKey] = .object(fields)
        return .success((.object(message), kind))
    }

    private static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, value != .null else { return nil }
        return value
    }
}
