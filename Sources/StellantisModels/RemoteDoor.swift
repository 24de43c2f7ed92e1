/// `door`: `{state: Locked|Unlocked}` (`RemoteDoorsState`).
public struct RemoteDoor: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, CaseIterable { case locked = "Locked", unlocked = "Unlocked" }
    public var state: OpenEnum<State>
    public var forced: Bool?
    public init(state: State, forced: Bool? = nil) { self.state = .known(state); self.forced = forced }
}
