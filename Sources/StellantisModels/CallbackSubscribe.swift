/// The body that creates or updates a callback — where notifications go.
/// B2C `CallbackSubscribe` (`POST /user/callbacks`) and B2B `RemoteCallbackSubscribe`
/// (`POST /fleets/{fid}/remote/callbacks`, which adds `retryPolicy`, `remoteTypes`, `batchNotify`).
public struct CallbackSubscribe: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case monitor = "Monitor", remote = "Remote" }

    public struct RetryPolicy: Sendable, Hashable, Codable {
        public var policy: String
        public var retryNumber: Int?
        public var retryDelay: Int?
        public init(policy: String, retryNumber: Int? = nil, retryDelay: Int? = nil) {
            self.policy = policy
            self.retryNumber = retryNumber
            self.retryDelay = retryDelay
        }
    }

    public var label: String?
    /// Which notifications the callback takes (`[Monitor, Remote]`); nil means both.
    public var type: [OpenEnum<Kind>]?
    public var callback: CallbackTarget
    // B2B only.
    public var retryPolicy: RetryPolicy?
    public var remoteTypes: [OpenEnum<RemoteType>]?
    public var batchNotify: JSONValue?

    public init(label: String? = nil, type: [OpenEnum<Kind>]? = nil, callback: CallbackTarget,
                retryPolicy: RetryPolicy? = nil, remoteTypes: [OpenEnum<RemoteType>]? = nil, batchNotify: JSONValue? = nil) {
        self.label = label
        self.type = type
        self.callback = callback
        self.retryPolicy = retryPolicy
        self.remoteTypes = remoteTypes
        self.batchNotify = batchNotify
    }
}

extension CallbackSubscribe: Codable {}
