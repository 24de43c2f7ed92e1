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
