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

/// One `Attribute`: `{type: Header|Query|Body, key, value}`; a value starting with `$` names a variable.
public struct CallbackAttribute: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case header = "Header", body = "Body", query = "Query" }

    public var type: OpenEnum<Kind>
    public var key: String
    public var value: String

    public init(type: Kind, key: String, value: String) {
        self.type = .known(type)
        self.key = key
        self.value = value
    }
}

extension CallbackAttribute: Codable {
    enum CodingKeys: String, CodingKey { case type, key, value }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(OpenEnum<Kind>.self, forKey: .type) ?? .known(.header)
        key = try c.decode(String.self, forKey: .key)
        value = try c.decode(String.self, forKey: .value)
    }
}
