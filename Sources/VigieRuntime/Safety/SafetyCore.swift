import Foundation
import Logging
import OutcomeStore
import RuleEngine

/// The guardrails' state and logic (see `SafetyGuard`, its thread-safe face): flap and
/// loop counts, the holds read from the database, the journal. Not thread-safe: only
/// used under `SafetyGuard`'s mutex.
final class SafetyCore {
    let policy: SafetyPolicy
    let database: any GuardStore
    let logger: Logger

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
    init(policy: SafetyPolicy, database: any GuardStore, logger: Logger) {
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
        refreshLocked(now: nil, force: true)
    }

    /// `SafetyGuard.review`.
    func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision {
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

    /// `SafetyGuard.dispatchHold`.
    func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? {
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

    func snapshot() -> SafetySnapshot {
        SafetySnapshot(paused: policy.paused, holds: view.active, flapping: flaps.held.mapValues { Timestamp.date($0) })
    }

    /// `SafetyGuard.watch`.
    func watch(now: Date, force: Bool) -> Bool {
        let before = snapshot(), version = viewVersion
        refreshLocked(now: now, force: force)
        // The version also moves when a manual command is queued (`vigie send`, the
        // console): the holds are the same, but the dispatcher has something to send.
        return snapshot() != before || viewVersion != version
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
