/// What the API POSTs to a B2C callback (`Message` of api-b2c-webhook-template.yaml):
/// a monitor event or a remote event.
public struct WebhookMessage: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case monitor = "Monitor", remote = "Remote" }

    public var callbackId: String?
    public var attributes: [BodyAttribute]?
    public var type: OpenEnum<Kind>?
    /// When the message was raised (RFC 3339 text as sent).
    public var date: String?
    public var monitorEvent: MessageMonitorEvent?
    public var remoteEvent: MessageRemoteEvent?

    public init(callbackId: String? = nil, attributes: [BodyAttribute]? = nil, type: Kind? = nil, date: String? = nil,
                monitorEvent: MessageMonitorEvent? = nil, remoteEvent: MessageRemoteEvent? = nil) {
        self.callbackId = callbackId
        self.attributes = attributes
        self.type = type.map { .known($0) }
        self.date = date
        self.monitorEvent = monitorEvent
        self.remoteEvent = remoteEvent
    }
}

extension WebhookMessage: Codable {}
