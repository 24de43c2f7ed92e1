import Foundation
import Logging
import OutcomeStore
import RuleEngine

/// The runtime guardrails between the engine's decisions and the dispatcher
/// (docs/safety.md): flapping, loops and the kill switch.
///
/// - The engine loop calls `review(_:observedAt:now:)` for every decision before
///   committing it. A fired decision comes back unchanged or as a suppression with reason
///   `paused`, `loop` or `flapping` (its actions will then never run: with
///   `actionsCompleteInstantly: false`, tell the engine `actionsCompleted`). Suppressions
///   come back unchanged.
/// - The dispatcher calls `dispatchHold(vin:bundle:rule:queuedAt:now:)` before sending
///   each remote and at least every 500 ms while it holds queued work. nil: send.
///   `paused` or `loop`: keep the command queued and ask again. `stale`: the command
///   waited behind a hold longer than the stale age; finish it as skipped, never send it.
///
/// Holds live in the database (`controlHold`), so `vigie pause` in another process
/// reaches a running `vigie serve`: the guard re-reads them when the database's control
/// version changes, checking at most every 250 ms of real time. Flapping and loop counts
/// are kept in memory (they start afresh on restart); loop stops are durable.
///
/// Thread-safe: the engine loop and the dispatcher may call it concurrently.
public final class SafetyGuard: @unchecked Sendable {
    public let policy: SafetyPolicy
    public let database: OutcomeDatabase
    let logger: Logger
    /// How often (real time) the guard checks the database's control version.
    public static let refreshInterval: Duration = .milliseconds(250)

    let lock = NSLock()
    var flaps: FlapDetector
    var loops: LoopDetector
    var view = ControlView()
    /// Loop stops that could not be written to the database (still enforced here).
    var unrecordedStops: Set<SafetyKey> = []
    var viewVersion: Int64 = -1
    var lastCheck: ContinuousClock.Instant?
    var lastCompaction: ContinuousClock.Instant?
    var budgetDays: [String: Int64] = [:]

    /// Makes the configuration's `paused` a hold in the database (or lifts the one an
    /// earlier run left) and loads the holds in force.
    public init(policy: SafetyPolicy, database: OutcomeDatabase,
                logger: Logger = Logger(label: "vigie.safety")) {
        self.policy = policy
        self.database = database
        self.logger = logger
        self.flaps = FlapDetector(window: Self.millis(policy.flapWindow), maxRises: policy.flapMaxRises)
        self.loops = LoopDetector(window: Self.millis(policy.loopWindow), maxFirings: policy.loopMaxFirings)
        do {
            try database.syncConfigHold(paused: policy.paused, at: Date())
        } catch {
            logger.error("cannot record the configuration's pause: \(error)")
        }
        closeLeftoverFlapHolds()
        if policy.paused { logger.warning("safety.paused is set: no command will be sent") }
        lock.withLock { refreshLocked(now: nil, force: true) }
    }

    /// Reviews one decision of the engine (see the type's documentation). Flapping and loop
    /// windows are measured on the decision's own instant (`decision.at`); `now` ends the
    /// flapping holds that have been quiet long enough.
    public func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision {
        lock.withLock {
            refreshLocked(now: now, force: false)
            let key = SafetyKey(vin: decision.vin, bundle: decision.bundle, rule: decision.rule)
            let flapping: Bool
            if decision.isRepeat {
                flapping = flaps.held[key] != nil
            } else {
                let outcome = flaps.rise(key, at: decision.at)
                journal(outcome.changes)
                flapping = outcome.held
            }
            guard decision.event == .fired else { return decision }
            if policy.paused || view.pause(vin: key.vin, bundle: key.bundle) != nil {
                return Self.suppressed(decision, .paused)
            }
            if view.loopStop(key) != nil || unrecordedStops.contains(key) {
                return Self.suppressed(decision, .loop)
            }
            if flapping {
                return Self.suppressed(decision, .flapping)
            }
            if !decision.isRepeat, loops.fire(key, at: decision.at) {
                stopLoop(key, at: decision.at, now: now)
                return Self.suppressed(decision, .loop)
            }
            return decision
        }
    }

    /// Whether a command of `rule` of `bundle` for `vin` may be sent now (nil) or not.
    public func dispatchHold(vin: String, bundle: String, rule: String, now: Date) -> Decision.Reason? {
        dispatchHold(vin: vin, bundle: bundle, rule: rule, queuedAt: nil, now: now)
    }

    /// Whether a command queued at `queuedAt` may be sent now (nil) or not: `paused`,
    /// `loop` (keep it queued), or `stale` (it waited behind a hold for longer than the
    /// stale age: drop it).
    public func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? {
        lock.withLock {
            refreshLocked(now: now, force: false)
            let key = SafetyKey(vin: vin, bundle: bundle, rule: rule)
            if policy.paused || view.pause(vin: vin, bundle: bundle) != nil { return .paused }
            if view.loopStop(key) != nil || unrecordedStops.contains(key) { return .loop }
            if let queuedAt, now.timeIntervalSince(queuedAt) > policy.staleAfter,
               view.waitedBehindHold(key, queuedAt: queuedAt) {
                return .stale
            }
            return nil
        }
    }

    /// The dispatcher found `vin`'s daily budget spent: journalled (once per vehicle and
    /// UTC day) and logged.
    public func recordBudgetStop(vin: String, at: Date) {
        recordBudgetStop(vin: vin, at: at, detail: nil)
    }

    /// `recordBudgetStop(vin:at:)` with the dispatcher's own explanation.
    public func recordBudgetStop(vin: String, at: Date, detail: String?) {
        lock.withLock { recordBudgetStopLocked(vin: vin, at: at, detail: detail) }
    }

    /// Re-reads the holds now, whatever the time since the last check.
    public func refresh(now: Date? = nil) {
        lock.withLock { refreshLocked(now: now, force: true) }
    }

    /// The holds in force and the rules held for flapping (for status and metrics).
    public func snapshot() -> SafetySnapshot {
        lock.withLock { snapshotLocked() }
    }

    private func snapshotLocked() -> SafetySnapshot {
        SafetySnapshot(paused: policy.paused, holds: view.active, flapping: flaps.held.mapValues { Timestamp.date($0) })
    }

    /// The control watcher's look: re-reads the holds when their version changed (always
    /// when `force`), and ends flapping holds gone quiet by `now`; whether what is held
    /// changed.
    public func watch(now: Date, force: Bool) -> Bool {
        lock.withLock {
            let before = snapshotLocked()
            refreshLocked(now: now, force: force)
            return snapshotLocked() != before
        }
    }

    static func millis(_ seconds: TimeInterval) -> Millis {
        Millis((seconds * 1000).rounded())
    }

    static func suppressed(_ decision: Decision, _ reason: Decision.Reason) -> Decision {
        var copy = decision
        copy.event = .suppressed
        copy.reason = reason
        copy.actions = []
        copy.cancelsRunning = false
        return copy
    }
}

/// What the guard holds at one moment.
public struct SafetySnapshot: Sendable, Hashable {
    /// `safety.paused` is set.
    public var paused: Bool
    /// Pauses and loop stops in force, oldest first.
    public var holds: [ControlHoldRecord]
    /// Rules held for flapping, with the instant each hold began.
    public var flapping: [SafetyKey: Date]
}
