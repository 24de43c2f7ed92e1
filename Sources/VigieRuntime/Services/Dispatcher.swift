import Foundation
import Logging
import OutcomeStore
import RuleEngine
import StellantisModels

/// Sends the outbox's remote commands: one at a time per vehicle, in order, several
/// vehicles at once (`dispatchConcurrency`). Each command is marked `sending` durably
/// before its POST, followed through its `Pending` / `Done` notifications (applied by
/// the engine loop) or, after `remoteTimeout`, reconciled by listing the vehicle's
/// remotes. A command left `sending` by a crash is reconciled by listing, never
/// POSTed again blindly (docs/serve.md, "Dispatcher").
final class Dispatcher: @unchecked Sendable {
    unowned let runtime: ServeRuntime
    let api: any VehicleAPI
    let engine: EngineLoop
    let budget: DispatchBudget
    private let lock = NSLock()
    /// Vehicles whose command a task is handling now.
    private var active: Set<String> = []
    /// Outbox ids held back by the guardrails, and why.
    private var held: [Int64: Decision.Reason] = [:]
    private var tasks: [Int64: Task<Void, Never>] = [:]
    private var stopping = false
    private let wake = WakeSignal()

    init(runtime: ServeRuntime, api: any VehicleAPI, engine: EngineLoop) {
        self.runtime = runtime
        self.api = api
        self.engine = engine
        self.budget = DispatchBudget(settings: runtime.settings)
        engine.onCommandsQueued = { [weak self] in self?.wake.signal() }
    }

    func wakeUp() { wake.signal() }

    /// Stops taking commands; `run()` returns once the commands being POSTed are recorded.
    func stop() {
        lock.withLock { stopping = true }
        wake.signal()
    }

    func run() async {
        while !lock.withLock({ stopping }) {
            do {
                try await followInFlight()
                try launchReady()
            } catch {
                runtime.logger.error("dispatcher step failed", metadata: ["error": "\(error)"])
            }
            await wake.wait(timeout: runtime.settings.tick)
        }
        for task in lock.withLock({ Array(tasks.values) }) { await task.value }
    }

    /// Starts a task for each vehicle whose next command may go now.
    private func launchReady() throws {
        let now = runtime.clock.now()
        let free = runtime.settings.dispatchConcurrency - lock.withLock { active.count }
        guard free > 0 else { return }
        let busy = lock.withLock { active.count + held.count }
        let items = try runtime.database.nextDispatchItems(at: now, limit: free + busy)
        let heads = Set(items.map(\.outboxId))
        lock.withLock { held = held.filter { heads.contains($0.key) } }   // finished elsewhere: forget
        var started = 0
        for item in items where started < free {
            let reason = runtime.decisionGuard.dispatchHold(vin: item.vin, bundle: item.bundle, rule: item.rule,
                                                            queuedAt: item.decidedAt, now: now)
            if let reason, reason != .stale {
                hold(item, reason)
                continue
            }
            let claimed = lock.withLock { () -> Bool in
                guard !stopping, active.insert(item.vin).inserted else { return false }
                return true
            }
            guard claimed else { continue }
            let wasHeld = lock.withLock { held.removeValue(forKey: item.outboxId) }
            if wasHeld != nil {
                runtime.logger.notice("command released", metadata: meta(item))
            }
            started += 1
            let task = Task { [self] in
                await handle(item, stale: reason == .stale)
                lock.withLock {
                    active.remove(item.vin)
                    tasks[item.outboxId] = nil
                }
                wake.signal()
            }
            lock.withLock { tasks[item.outboxId] = task }
        }
    }

    private func hold(_ item: DispatchItem, _ reason: Decision.Reason) {
        let first = lock.withLock { held.updateValue(reason, forKey: item.outboxId) == nil }
        if first {
            runtime.logger.notice("command held", metadata: [
                "vin": "\(item.vin)", "rule": "\(item.bundle)/\(item.rule)", "reason": "\(reason.rawValue)",
            ])
        }
    }

    /// Whether a task is handling `vin`'s command now.
    func isActive(_ vin: String) -> Bool { lock.withLock { active.contains(vin) } }

    /// Claims a vehicle for a follow-up (reconciliation) so no send task runs beside it.
    func claim(_ vin: String) -> Bool { lock.withLock { !stopping && active.insert(vin).inserted } }
    func release(_ vin: String) { _ = lock.withLock { active.remove(vin) } }

    /// Hands the store's moves to metrics, logs and the engine.
    func report(_ transitions: [DispatchTransition]) {
        runtime.recordTransitions(transitions)
        engine.actionsFinished(transitions.compactMap(\.completed))
    }
}
