import Foundation
import VehicleData

/// A callback (where notifications go), parsed from `CallbackSubscribe` (B2C),
/// `RemoteCallbackSubscribe` or a B2B monitor's `subscribeParam`.
package struct CallbackSpec: Sendable, Hashable {
    package struct Attribute: Sendable, Hashable {
        package var type: String   // Header | Body | Query
        package var key: String
        package var value: String
    }

    package enum RetryPolicy: Sendable, Hashable {
        /// B2C: every `delay` seconds for at most 72 h.
        case every(delay: TimeInterval)
        /// B2B `None` (one retry), `Bounded` (`retryNumber` retries), `Always` (3 days).
        case bounded(retries: Int, delay: TimeInterval)
    }

    package var label: String
    /// Accepted event types (`Monitor`, `Remote`); empty means both.
    package var types: Set<String>
    package var target: String
    package var name: String
    package var attributes: [Attribute]
    /// Batch size when batching is on (B2C `batch`, B2B `batchNotify`), else nil.
    package var batchSize: Int?
    /// B2B `batchNotify.timeWindow`: how long messages wait to fill a batch, seconds.
    package var batchWindow: TimeInterval
    package var retry: RetryPolicy
    package var raw: JSONValue

    package func accepts(_ type: String) -> Bool { types.isEmpty || types.contains(type) }

    /// Retention of undelivered messages: 72 h.
    package static let retention: TimeInterval = 72 * 3600
}

extension CallbackSpec {
    /// The B2B `RemoteType` enum (api-b2b.yaml).
    static let remoteTypeNames: Set<String> = [
        "ThermalPreconditioning", "ElectricBatteryChargingRequest", "Horn", "Doors", "Lights", "Immobilization",
        "Stolen", "VehicleState", "ChargingState", "WakeUp", "Navigation",
    ]
    /// Largest batch size, retry count and delays accepted (the spec gives no maximum; these
    /// keep every value an exact integer the simulator can count with).
    static let maxBatchSize = 10_000
    static let maxRetries = 10_000
    static let maxSeconds = 86_400 * 3

    /// Parses and validates a callback body as the spec defines it: B2C `CallbackSubscribe`,
    /// B2B `RemoteCallbackSubscribe` (`remote`: `remoteTypes` required) or a fleet monitor's
    /// `subscribeParam` (`MonitorCallbackSubscribe`). Types, enums and ranges are checked
    /// (a missing `remoteTypes` is tolerated and means every type);
    /// attribute keys of `Header` attributes must be HTTP header names (RFC 9110 tokens) and
    /// their values visible ASCII. A well-formed `websocket` or `pushnotif` callback is
    /// refused with 40041: the simulator delivers to webhooks only.
    static func parse(_ body: JSONValue, b2b: Bool, remote: Bool = false) -> Result<CallbackSpec, SimAPIError> {
        do { return .success(try parseThrowing(body, b2b: b2b, remote: remote)) } catch let e as SimAPIError {
            return .failure(e)
        } catch { return .failure(.invalidCallback("\(error)")) }
    }

    private static func parseThrowing(_ body: JSONValue, b2b: Bool, remote: Bool) throws -> CallbackSpec {
        guard let o = body.objectValue else { throw SimAPIError.invalidCallback("body must be an object") }
        let label = try optionalString(o["label"], "label")
        guard let callback = o["callback"] else { throw SimAPIError.invalidCallback("callback is required") }
        guard let cb = callback.objectValue else { throw SimAPIError.invalidCallback("callback must be an object") }
        if let ws = cb["websocket"], ws != .null, !b2b {
            guard let w = ws.objectValue else { throw SimAPIError.invalidCallback("callback.websocket must be an object") }
            guard w["target"]?.stringValue != nil else { throw SimAPIError.invalidCallback("callback.websocket.target is required") }
            _ = try attributes(w["attributes"], "callback.websocket.attributes", types: ["Body"])
        }
        if let push = cb["pushnotif"], push != .null, !b2b {
            guard let pn = push.objectValue else { throw SimAPIError.invalidCallback("callback.pushnotif must be an object") }
            if let devices = pn["devices"] {
                guard let list = devices.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
                    throw SimAPIError.invalidCallback("callback.pushnotif.devices must be a non-empty array of strings")
                }
            }
            _ = try attributes(pn["attributes"], "callback.pushnotif.attributes", types: ["Header", "Body"])
        }
        guard let hook = cb["webhook"], hook != .null else {
            if cb["websocket"] != nil || cb["pushnotif"] != nil { throw SimAPIError.notSimulatedCallback() }
            throw SimAPIError.invalidCallback("callback.webhook is required")
        }
        guard let webhook = hook.objectValue else { throw SimAPIError.invalidCallback("callback.webhook must be an object") }
        guard let target = webhook["target"]?.stringValue else {
            throw SimAPIError.invalidCallback("callback.webhook.target (string) is required")
        }
        guard let url = URLComponents(string: target), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty, url.url != nil,
              url.port.map({ (1...65535).contains($0) }) ?? true else {
            throw SimAPIError.invalidCallback("callback.webhook.target must be an http(s) URL")
        }
        if scheme == "http", !isLoopback(host) {
            throw SimAPIError.invalidCallback("plain http targets are accepted on loopback only; use https")
        }
        guard let name = webhook["name"]?.stringValue else { throw SimAPIError.invalidCallback("callback.webhook.name (string) is required") }
        let attrs = try attributes(webhook["attributes"], "callback.webhook.attributes", types: ["Header", "Body", "Query"])
        var types = Set<String>()
        if let list = o["type"], !b2b {
            guard let items = list.arrayValue else { throw SimAPIError.invalidCallback("type must be an array") }
            for item in items {
                guard let t = item.stringValue, t == "Monitor" || t == "Remote" else {
                    throw SimAPIError.invalidCallback("type items must be Monitor or Remote")
                }
                types.insert(t)
            }
        }
        // `remoteTypes` is required by RemoteCallbackSubscribe; the simulator tolerates its
        // absence (every remote type), as `vigie apply` does not send it yet.
        if b2b, remote, let list = o["remoteTypes"] {
            guard let items = list.arrayValue, items.allSatisfy({ $0.stringValue.map(remoteTypeNames.contains) ?? false }) else {
                throw SimAPIError.invalidCallback("remoteTypes must be an array of \(remoteTypeNames.sorted().joined(separator: ", "))")
            }
            types = ["Remote"]
        }
        var batchSize: Int?
        var window: TimeInterval = 0
        if !b2b, let batch = webhook["batch"] ?? o["batch"] {
            guard let b = batch.objectValue else { throw SimAPIError.invalidCallback("batch must be an object") }
            let enabled = try optionalBool(b["enabled"], "batch.enabled") ?? false
            let size = try integer(b["size"], "batch.size", 1...maxBatchSize) ?? 100
            if enabled { batchSize = size }
        }
        if b2b, let notify = o["batchNotify"] {
            guard notify.objectValue != nil else { throw SimAPIError.invalidCallback("batchNotify must be an object") }
            guard let size = try integer(notify["size"], "batchNotify.size", 1...maxBatchSize) else {
                throw SimAPIError.invalidCallback("batchNotify.size is required")
            }
            batchSize = size
            window = TimeInterval(try integer(notify["timeWindow"], "batchNotify.timeWindow", 5...maxSeconds) ?? 60)
        }
        var retry = RetryPolicy.every(delay: 10)
        if b2b, let policy = o["retryPolicy"] {
            guard policy.objectValue != nil else { throw SimAPIError.invalidCallback("retryPolicy must be an object") }
            let delay = TimeInterval(try integer(policy["retryDelay"], "retryPolicy.retryDelay", 1...maxSeconds) ?? 10)
            let retries = try integer(policy["retryNumber"], "retryPolicy.retryNumber", 1...maxRetries)
            switch policy["policy"]?.stringValue {
            case "None": retry = .bounded(retries: 1, delay: delay)
            case "Bounded": retry = .bounded(retries: retries ?? 3, delay: delay)
            case "Always": retry = .every(delay: delay)
            default: throw SimAPIError.invalidCallback("retryPolicy.policy must be None, Bounded or Always")
            }
        }
        return CallbackSpec(label: label ?? name, types: types, target: target, name: name, attributes: attrs,
                            batchSize: batchSize, batchWindow: window, retry: retry, raw: body)
    }

    /// `AttributeSet`: `{type, key, value}` strings, `type` among `types`.
    static func attributes(_ value: JSONValue?, _ path: String, types: Set<String>) throws -> [Attribute] {
        guard let value, value != .null else { return [] }
        guard let list = value.arrayValue else { throw SimAPIError.invalidCallback("\(path) must be an array") }
        var out: [Attribute] = []
        for (i, a) in list.enumerated() {
            guard let type = a["type"]?.stringValue, types.contains(type), let key = a["key"]?.stringValue,
                  let value = a["value"]?.stringValue else {
                throw SimAPIError.invalidCallback(
                    "\(path)[\(i)] needs type (\(types.sorted().joined(separator: "|"))), key and value, all strings")
            }
            if type == "Header" {
                guard isToken(key) else {
                    throw SimAPIError.invalidCallback("\(path)[\(i)].key is not an HTTP header name (letters, digits, !#$%&'*+-.^_`|~)")
                }
                guard value.unicodeScalars.allSatisfy({ $0 == "\t" || (0x20..<0x7F).contains($0.value) }) else {
                    throw SimAPIError.invalidCallback("\(path)[\(i)].value of a Header must be visible ASCII")
                }
            } else if key.isEmpty {
                throw SimAPIError.invalidCallback("\(path)[\(i)].key must not be empty")
            }
            out.append(Attribute(type: type, key: key, value: value))
        }
        return out
    }

    /// An RFC 9110 token (a header field name).
    static func isToken(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            c.value < 0x7F && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(c))
        }
    }

    /// An optional JSON integer within `range`: a number with no fractional part.
    static func integer(_ value: JSONValue?, _ path: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value, value != .null else { return nil }
        guard let n = value.doubleValue, n == n.rounded(), n >= Double(range.lowerBound), n <= Double(range.upperBound) else {
            throw SimAPIError.invalidCallback("\(path) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(n)
    }

    static func optionalString(_ value: JSONValue?, _ path: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard let s = value.stringValue else { throw SimAPIError.invalidCallback("\(path) must be a string") }
        return s
    }

    static func optionalBool(_ value: JSONValue?, _ path: String) throws -> Bool? {
        guard let value, value != .null else { return nil }
        guard let b = value.boolValue else { throw SimAPIError.invalidCallback("\(path) must be a boolean") }
        return b
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
