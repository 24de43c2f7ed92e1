/// The status of a callback (`CallbackStatus`).
public enum CallbackStatus: String, Sendable, Hashable, CaseIterable {
    case running = "Running", paused = "Paused", failed = "Failed"
}
