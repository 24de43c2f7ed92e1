/// A `Body` attribute echoed in a message: `{key, value}`.
public struct BodyAttribute: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}
