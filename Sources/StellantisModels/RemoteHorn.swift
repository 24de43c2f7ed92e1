/// `horn`: `{state: Activated}` (`RemoteHorn`).
public struct RemoteHorn: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, CaseIterable { case activated = "Activated", unactivated = "Unactivated" }
    public var state: OpenEnum<State>
    public init(state: State = .activated) { self.state = .known(state) }
}
