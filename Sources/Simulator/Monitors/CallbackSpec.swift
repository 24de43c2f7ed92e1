import Foundation
import VehicleData

/// A callback (where notifications go), parsed from `CallbackSubscribe` (B2C),
/// `RemoteCallbackSubscribe` or a B2B monitor's `subscribeParam`.
public struct CallbackSpec: Sendable, Hashable {
    public struct Attribute: Sendable, Hashable {
        public var type: String   // Header | Body | Query
        public var key: String
        public var value: String
    }

    public enum RetryPolicy: Sendable, Hashable {
        /// B2C: every `delay` seconds for at most 72 h.
        case every(delay: TimeInterval)
        /// B2B `None` (one retry), `Bounded` (`retryNumber` retries), `Always` (3 days).
        case bounded(retries: Int, delay: TimeInterval)
    }

    public var label: String
    /// Accepted event types (`Monitor`, `Remote`); empty means both.
    public var types: Set<String>
    public var target: String
    public var name: String
    public var attributes: [Attribute]
    /// Batch size when batching is on (B2C `batch`, B2B `batchNotify`), else nil.
    public var batchSize: Int?
    /// B2B `batchNotify.timeWindow`: how long messages wait to fill a batch, seconds.
    public var batchWindow: TimeInterval
    public var retry: RetryPolicy
    public var raw: JSONValue

    public func accepts(_ type: String) -> Bool { types.isEmpty || types.contains(type) }

    /// Retention of undelivered messages: 72 h.
    public static let retention: TimeInterval = 72 * 3600
}

extension CallbackSpec {
    /// Parses a callback body. `b2b` reads `retryPolicy`/`batchNotify`/`remoteTypes`.
    static func parse(_ body: JSONValue, b2b: Bool, requireTypes: Bool = false) -> Result<CallbackSpec, SimAPIError> {
        guard let o = body.objectValue else { return .failure(.invalidCallback("body must be an object")) }
        guard let webhook = o["callback"]?["webhook"]?.objectValue else {
            return .failure(.invalidCallback("callback.webhook is required (websocket and pushnotif are not simulated)"))
        }
        guard let target = webhook["target"]?.stringValue, let url = URL(string: target),
              let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http", url.host != nil else {
            return .failure(.invalidCallback("callback.webhook.target must be an http(s) URL"))
        }
        if scheme == "http", !isLoopback(url.host ?? "") {
            return .failure(.invalidCallback("plain http targets are accepted on loopback only; use https"))
        }
        guard let name = webhook["name"]?.stringValue else { return .failure(.invalidCallback("callback.webhook.name is required")) }
        var attributes: [Attribute] = []
        for a in webhook["attributes"]?.arrayValue ?? [] {
            guard let type = a["type"]?.stringValue, ["Header", "Body", "Query"].contains(type),
                  let key = a["key"]?.stringValue, let value = a["value"]?.stringValue else {
                return .failure(.invalidCallback("each attribute needs type (Header|Body|Query), key and value"))
            }
            attributes.append(Attribute(type: type, key: key, value: value))
        }
        var types = Set((o["type"]?.arrayValue ?? []).compactMap(\.stringValue))
        if b2b, let remoteTypes = o["remoteTypes"]?.arrayValue {
            _ = remoteTypes
            types = ["Remote"]
        }
        if !types.isSubset(of: ["Monitor", "Remote"]) { return .failure(.invalidCallback("type items must be Monitor or Remote")) }
        var batchSize: Int?
        var window: TimeInterval = 0
        if let batch = webhook["batch"] ?? o["batch"], batch["enabled"]?.boolValue == true {
            batchSize = Int(batch["size"]?.doubleValue ?? 100)
        }
        if let notify = o["batchNotify"] {
            guard let size = notify["size"]?.doubleValue, size >= 1 else {
                return .failure(.invalidCallback("batchNotify.size must be a positive integer"))
            }
            batchSize = Int(size)
            window = notify["timeWindow"]?.doubleValue ?? 60
        }
        var retry = RetryPolicy.every(delay: 10)
        if b2b, let policy = o["retryPolicy"] {
            let delay = policy["retryDelay"]?.doubleValue ?? 10
            switch policy["policy"]?.stringValue {
            case "None": retry = .bounded(retries: 1, delay: delay)
            case "Bounded": retry = .bounded(retries: Int(policy["retryNumber"]?.doubleValue ?? 3), delay: delay)
            case "Always": retry = .every(delay: delay)
            default: return .failure(.invalidCallback("retryPolicy.policy must be None, Bounded or Always"))
            }
        }
        return .success(CallbackSpec(label: o["label"]?.stringValue ?? name, types: types, target: target, name: name,
                                     attributes: attributes, batchSize: batchSize, batchWindow: window, retry: retry,
                                     raw: body))
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
