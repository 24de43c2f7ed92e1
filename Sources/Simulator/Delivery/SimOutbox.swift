import Foundation
import VehicleData

/// Notifications waiting to be POSTed, per destination (a callback, or a B2B monitor's
/// own callback), with the retry policy: a non-2xx answer or a time-out puts the
/// messages back, due again after the retry delay (B2C: 10 s, for at most 72 h).
package struct SimOutbox: Sendable {
    /// How a destination groups a batch into one body.
    package enum Shape: Sendable, Hashable {
        /// B2C: a `Message`, or a JSON array of them when batching.
        case b2cMessages
        /// B2B monitor: `{monitorId, attributes, events: [...]}`.
        case b2bMonitorEvents(monitorId: String)
        /// B2B remote: `{callbackId, attributes, events: [...]}`.
        case b2bRemoteEvents(callbackId: String)
    }

    package struct Pending: Sendable {
        var id: Int
        var payload: JSONValue
        var vin: String
        var variables: [String: String]
        var createdAt: Date
        var dueAt: Date
        var attempts: Int
    }

    struct Destination: Sendable {
        var callback: CallbackSpec
        var shape: Shape
        var pending: [Pending] = []
        var inFlight = false
    }

    /// One HTTP POST to make.
    package struct Delivery: Sendable {
        package var destination: String
        package var url: URL
        package var headers: [(String, String)]
        package var body: Data
        package var messageIds: [Int]
        /// The JSON posted (tests check it against the webhook schemas).
        package var json: JSONValue
    }

    package struct Stats: Sendable, Hashable {
        package var delivered = 0, failedAttempts = 0, expired = 0, dropped = 0
    }

    private var destinations: [String: Destination] = [:]
    private var nextId = 0
    package private(set) var stats = Stats()

    package init() {}

    package var pendingCount: Int { destinations.values.reduce(0) { $0 + $1.pending.count } }

    mutating func register(_ id: String, callback: CallbackSpec, shape: Shape) {
        if destinations[id] == nil { destinations[id] = Destination(callback: callback, shape: shape) }
        else { destinations[id]!.callback = callback }
    }

    mutating func remove(_ id: String) { destinations[id] = nil }

    /// Queues a message; `drop` simulates a notification lost by the platform.
    mutating func enqueue(_ payload: JSONValue, to id: String, vin: String, variables: [String: String], at now: Date,
                          drop: Bool) {
        guard destinations[id] != nil else { return }
        if drop { stats.dropped += 1; return }
        nextId += 1
        destinations[id]!.pending.append(Pending(id: nextId, payload: payload, vin: vin, variables: variables,
                                                 createdAt: now, dueAt: now, attempts: 0))
    }

    /// Takes the POSTs due at `now` (at most one in flight per destination, so order holds).
    mutating func due(at now: Date) -> [Delivery] {
        var out: [Delivery] = []
        for key in destinations.keys.sorted() {
            guard var d = destinations[key], !d.inFlight else { continue }
            // Head-of-line: while the oldest message waits for its retry, later ones wait too.
            guard let first = d.pending.first, first.dueAt <= now else { continue }
            let ready = Array(d.pending.prefix { $0.dueAt <= now })
            let batch: [Pending]
            if let size = d.callback.batchSize {
                let oldest = ready.map(\.createdAt).min() ?? now
                let waited = now.timeIntervalSince(oldest) >= d.callback.batchWindow || first.attempts > 0
                guard ready.count >= size || waited else { continue }
                batch = Array(ready.prefix(size))
            } else {
                batch = [first]
            }
            guard let delivery = Self.makeDelivery(key, d, batch) else { continue }
            d.inFlight = true
            destinations[key] = d
            out.append(delivery)
        }
        return out
    }

    /// Records the answer to a delivery: `status` nil means no answer (connection error, time-out).
    mutating func complete(_ delivery: Delivery, status: Int?, at now: Date) {
        guard var d = destinations[delivery.destination] else { return }
        d.inFlight = false
        let ids = Set(delivery.messageIds)
        if let status, (200..<300).contains(status) {
            d.pending.removeAll { ids.contains($0.id) }
            stats.delivered += ids.count
        } else {
            stats.failedAttempts += 1
            for i in d.pending.indices where ids.contains(d.pending[i].id) {
                d.pending[i].attempts += 1
                switch d.callback.retry {
                case .every(let delay): d.pending[i].dueAt = now.addingTimeInterval(delay)
                case .bounded(_, let delay): d.pending[i].dueAt = now.addingTimeInterval(delay)
                }
            }
            let before = d.pending.count
            d.pending.removeAll { p in
                if now.timeIntervalSince(p.createdAt) >= CallbackSpec.retention { return true }
                if case .bounded(let retries, _) = d.callback.retry { return p.attempts > retries }
                return false
            }
            stats.expired += before - d.pending.count
        }
        destinations[delivery.destination] = d
    }

    private static func makeDelivery(_ key: String, _ d: Destination, _ batch: [Pending]) -> Delivery? {
        let batched = d.callback.batchSize != nil
        let variables = batch[0].variables
        let bodyAttributes: [JSONValue] = d.callback.attributes.filter { $0.type == "Body" }.map {
            .object(["key": .string($0.key), "value": .string(substitute($0.value, variables))])
        }
        let json: JSONValue
        switch d.shape {
        case .b2cMessages:
            json = batched ? .array(batch.map(\.payload)) : batch[0].payload
        case .b2bMonitorEvents(let monitorId):
            json = .object(["monitorId": .string(monitorId), "attributes": .array(bodyAttributes),
                            "events": .array(batch.map(\.payload))])
        case .b2bRemoteEvents(let callbackId):
            json = .object(["callbackId": .string(callbackId), "attributes": .array(bodyAttributes),
                            "events": .array(batch.map(\.payload))])
        }
        guard var components = URLComponents(string: d.callback.target) else { return nil }
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var query = components.queryItems ?? []
        // With batching only body attributes are valued (webhook schema).
        if !batched {
            for a in d.callback.attributes where a.type != "Body" {
                let value = substitute(a.value, variables)
                if a.type == "Header" { headers.append((a.key, headerSafe(value))) } else { query.append(URLQueryItem(name: a.key, value: value)) }
            }
        }
        if !query.isEmpty { components.queryItems = query }
        guard let url = components.url else { return nil }
        let body = SimJSON.encode(json)
        return Delivery(destination: key, url: url, headers: headers, body: body, messageIds: batch.map(\.id), json: json)
    }

    /// A header value as sent: a substituted label may hold characters a header cannot carry
    /// (controls, non-ASCII); those bytes are percent-encoded, the rest is kept.
    static func headerSafe(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            if byte == 0x09 || (0x20..<0x7F).contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { out += String(format: "%%%02X", byte) }
        }
        return out
    }

    /// Replaces `$vin`, `$callbackId`, `$monitorId`… (case-insensitive) in an attribute value.
    static func substitute(_ value: String, _ variables: [String: String]) -> String {
        guard value.hasPrefix("$") else { return value }
        let name = value.dropFirst().lowercased()
        return variables[name] ?? value
    }
}
