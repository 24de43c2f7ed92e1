import Foundation
import Logging
import OutcomeStore
import RuleEngine
import Synchronization

/// The runtime guardrails between the engine's decisions and the dispatcher
/// (docs/safety.md): flapping, loops and the kill switch.
///
/// - The engine calls `review(_:observedAt:now:)` for every decision before committing
///   it. A fired decision comes back unchanged or as a suppression with reason `paused`,
///   `loop` or `flapping` (its actions will then never run: with
///   `actionsCompleteInstantly: false`, tell the engine `actionsCompleted`). Suppressions
///   come back unchanged.
/// - The dispatcher calls `dispatchHold(vin:bundle:rule:queuedAt:now:)` before sending
///   each remote and at least every 500 ms while it holds queued work. nil: send.
///   `paused` or `loop`: keep the command queued and ask again. `stale`: the command
///   waited behind a hold longer than the stale age; finish it as skipped, never send it.
///
/// Holds live in the database (`controlHold`), so `vigie pause` in another process
/// reaches a running `vigie serve`: the guard re-reads them when the database's control
/// version changes, checking at most every 250 ms of real time (the control watcher
/// looks that often). Flapping and loop counts are kept in memory (they start afresh on
/// restart); loop stops are durable.
///
/// Thread-safe: its state (`SafetyCore`) is only reached under a mutex, so the engine and
/// the dispatcher may call it concurrently.
package final class SafetyGuard: Sendable {
    package let policy: SafetyPolicy
    package let database: any GuardStore
    /// How often (real time) the guard checks the database's control version.
    package static let refreshInterval: Duration = .milliseconds(250)

    private let core: Mutex<SafetyCore>

    /// Makes the configuration's `paused` a hold in the database (or lifts the one an
    /// earlier run left) and loads the holds in force.
    package init(policy: SafetyPolicy, database: any GuardStore,
                logger: Logger = Logger(label: "vigie.safety")) {
        self.policy = policy
        self.database = database
        core = Mutex(SafetyCore(policy: policy, database: database, logger: logger))
    }

    /// Reviews one decision of the engine (see the type's documentation). Flapping and loop
    /// windows are measured on the decision's own instant (`decision.at`); `now` ends the
    /// flapping holds that have been quiet long enough.
    package func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision {
        core.withLock { $0.review(decision, observedAt: observedAt, now: now) }
    }

    /// Whether a command of `rule` of `bundle` for `vin` may be sent now (nil) or not.
    package func dispatchHold(vin: String, bundle: String, rule: String, now: Date) -> Decision.Reason? {
        dispatchHold(vin: vin, bundle: bundle, rule: rule, queuedAt: nil, now: now)
    }

    /// Whether a command queued at `queuedAt` may be sent now (nil) or not: `paused`,
    /// `loop` (keep it queued), or `stale` (it waited behind a hold for longer than the
    /// stale age: drop it).
    package func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? {
        core.withLock { $0.dispatchHold(vin: vin, bundle: bundle, rule: rule, queuedAt: queuedAt, now: now) }
    }

    /// The dispatcher found `vin`'s daily budget spent: journalled (once per vehicle and
    /// UTC day) and logged.
    package func recordBudgetStop(vin: String, at: Date) {
        recordBudgetStop(vin: vin, at: at, detail: nil)
    }

    /// `recordBudgetStop(vin:at:)` with the dispatcher's own explanation.
    package func recordBudgetStop(vin: String, at: Date, detail: String?) {
        core.withLock { $0.recordBudgetStopLocked(vin: vin, at: at, detail: detail) }
    }

    /// Re-reads the holds now, whatever the time since the last check.
    package func refresh(now: Date? = nil) {
        core.withLock { $0.refreshLocked(now: now, force: true) }
    }

    /// The holds in force and the rules held for flapping (for status and metrics).
    package func snapshot() -> SafetySnapshot {
        core.withLock { $0.snapshot() }
    }

    /// The control watcher's look: re-reads the holds when their version changed (always
    /// when `force`), and ends flapping holds gone quiet by `now`; whether what is held
    /// changed, or the version moved (a manual command was queued): the dispatcher is woken.
    package func watch(now: Date, force: Bool) -> Bool {
        core.withLock { $0.watch(now: now, force: force) }
    }
}

/// What the guard holds at one moment.
package struct SafetySnapshot: Sendable, Hashable {
    /// `safety.paused` is set.
    package var paused: Bool
    /// Pauses and loop stops in force, oldest first.
    package var holds: [ControlHoldRecord]
    /// Rules held for flapping, with the instant each hold began.
    package var flapping: [SafetyKey: Date]
}
