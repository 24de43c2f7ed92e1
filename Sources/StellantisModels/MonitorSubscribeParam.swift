/// `subscribeParam` of a monitor. B2C (`MonitorCallbackSubscribe`): `refreshEvent` and
/// `callbackAttributes`. B2B (`MonitorCallbackSubscribe` = `CallbackSubscribe` +
/// `refreshEvent`): also `retryPolicy`, `batchNotify` and the required `callback`.
public struct SubscribeParam: Sendable, Hashable {
    /// Seconds (≥ 60) between two notifications while the monitor stays satisfied.
    public var refreshEvent: Int?
    /// B2C only: `{webhook: [Attribute]}` etc. (`CallbackAttributes`).
    public var callbackAttributes: MonitorCallbackAttributes?
    /// B2B only.
    public var retryPolicy: MonitorRetryPolicy?
    /// B2B only.
    public var batchNotify: MonitorBatchNotify?
    /// B2B only (required there): where the fleet monitor's notifications go.
    public var callback: MonitorCallback?

    public init(refreshEvent: Int? = nil, callbackAttributes: MonitorCallbackAttributes? = nil,
                retryPolicy: MonitorRetryPolicy? = nil, batchNotify: MonitorBatchNotify? = nil,
                callback: MonitorCallback? = nil) {
        self.refreshEvent = refreshEvent
        self.callbackAttributes = callbackAttributes
        self.retryPolicy = retryPolicy
        self.batchNotify = batchNotify
        self.callback = callback
    }
}

/// B2C `CallbackAttributes`: extra attributes per callback kind.
public struct MonitorCallbackAttributes: Sendable, Hashable {
    public var webhook: [MonitorAttribute]?
    public init(webhook: [MonitorAttribute]? = nil) { self.webhook = webhook }
}

/// B2B `retryPolicy`: `None` (one try), `Bounded` (`retryNumber`, `retryDelay` s) or `Always`.
public struct MonitorRetryPolicy: Sendable, Hashable {
    public enum Policy: String, Sendable, Hashable, Codable { case none = "None", bounded = "Bounded", always = "Always" }
    public var policy: Policy
    public var retryNumber: Int?
    public var retryDelay: Int?
    public init(policy: Policy, retryNumber: Int? = nil, retryDelay: Int? = nil) {
        self.policy = policy
        self.retryNumber = retryNumber
        self.retryDelay = retryDelay
    }
}

/// B2B `batchNotify`: `size` required, `timeWindow` seconds (≥ 5, default 60).
public struct MonitorBatchNotify: Sendable, Hashable {
    public var size: Int
    public var timeWindow: Int?
    public init(size: Int, timeWindow: Int? = nil) {
        self.size = size
        self.timeWindow = timeWindow
    }
}

/// B2B `callback`: `{webhook: {target, name, attributes}}`.
public struct MonitorCallback: Sendable, Hashable {
    public var webhook: MonitorWebhook
    public init(webhook: MonitorWebhook) { self.webhook = webhook }
}

public struct MonitorWebhook: Sendable, Hashable {
    public var target: String
    public var name: String
    public var attributes: [MonitorAttribute]?
    public init(target: String, name: String, attributes: [MonitorAttribute]? = nil) {
        self.target = target
        self.name = name
        self.attributes = attributes
    }
}

extension SubscribeParam: Codable {}
extension MonitorCallbackAttributes: Codable {}
extension MonitorRetryPolicy: Codable {}
extension MonitorBatchNotify: Codable {}
extension MonitorCallback: Codable {}
extension MonitorWebhook: Codable {}
