/// `lights`: `{on: true}` — a JSON key named `on` (`RemoteLights`).
public struct RemoteLights: Sendable, Hashable, Codable {
    public var on: Bool
    public init(on: Bool = true) { self.on = on }
}
