/// A webhook callback target (`Webhook`): where the API POSTs `Message`s.
public struct Webhook: Sendable, Hashable {
    /// Batching (`{enabled, size}`): when on, a POST may carry an array of messages.
    public struct Batch: Sendable, Hashable, Codable {
        public var enabled: Bool
        public var size: Int?
        public init(enabled: Bool, size: Int? = nil) { self.enabled = enabled; self.size = size }
    }

    public var target: String
    public var name: String
    public var batch: Batch?
    /// Headers, query parameters or body entries added to every notification (`$vin` is substituted).
    public var attributes: [CallbackAttribute]?

    public init(target: String, name: String, batch: Batch? = nil, attributes: [CallbackAttribute]? = nil) {
        self.target = target
        self.name = name
        self.batch = batch
        self.attributes = attributes
    }
}

extension Webhook: Codable {}
