/// `callback`: exactly one of webhook, websocket, pushnotif (only webhooks are modelled in full).
public struct CallbackTarget: Sendable, Hashable {
    public var webhook: Webhook?
    public var websocket: JSONValue?
    public var pushnotif: JSONValue?

    public init(webhook: Webhook? = nil, websocket: JSONValue? = nil, pushnotif: JSONValue? = nil) {
        self.webhook = webhook
        self.websocket = websocket
        self.pushnotif = pushnotif
    }
}

extension CallbackTarget: Codable {}
