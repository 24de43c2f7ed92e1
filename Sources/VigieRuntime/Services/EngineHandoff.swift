import Foundation
import OutcomeStore
import Synchronization
import VehicleData

/// What other services hand to the engine, and its wake-up: the receiver's "new rows in
/// the inbox", the poller's answers, the dispatcher's finished firings. Each hand-off
/// wakes the engine; nothing waits for it.
final class EngineHandoff: Sendable {
    struct PolledStatus: Sendable {
        var vin: String
        var at: Date
        var observation: Observation
    }

    private struct State {
        var completions: [FiringKey] = []
        var polls: [PolledStatus] = []
        var stopping = false
    }

    private let state = Mutex(State())
    let wake = WakeSignal()

    init() {}

    /// New notifications are committed to the inbox (the receiver, after each request).
    func inboxChanged() { wake.signal() }

    func submitPoll(vin: String, at: Date, observation: Observation) {
        state.withLock { $0.polls.append(PolledStatus(vin: vin, at: at, observation: observation)) }
        wake.signal()
    }

    func actionsFinished(_ keys: [FiringKey]) {
        guard !keys.isEmpty else { return }
        state.withLock { $0.completions += keys }
        wake.signal()
    }

    /// Asks the engine to drain the inbox up to the watermark and return.
    func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// The completions and polls handed over since the last call.
    func take() -> (completions: [FiringKey], polls: [PolledStatus]) {
        state.withLock { s in
            defer { s.completions = []; s.polls = [] }
            return (s.completions, s.polls)
        }
    }
}
