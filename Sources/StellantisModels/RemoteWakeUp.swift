/// `wakeUp`: `{action: WakeUp}` (`RemoteWakeUp`).
public struct RemoteWakeUp: Sendable, Hashable, Codable {
    public var action: String
    public init(action: String = "WakeUp") { self.action = action }
}
