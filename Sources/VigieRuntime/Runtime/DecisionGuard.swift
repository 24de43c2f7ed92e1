import Foundation
import RuleEngine

/// The guardrails the runtime consults (`SafetyGuard` in production; see
/// docs/safety.md): every decision passes `review` before it is committed, and the
/// dispatcher asks `dispatchHold` before each send and again at least every 500 ms
/// while it holds work back.
package protocol DecisionGuard: Sendable {
    /// The decision unchanged, or turned into a suppression (`flapping`, `loop`, `paused`).
    func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision
    /// nil: send now. `paused` / `loop`: keep the command queued and ask again.
    /// `stale`: the command waited behind a hold past the stale age: skip it.
    func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason?
    /// The dispatcher found a vehicle's daily budget spent.
    func recordBudgetStop(vin: String, at: Date, detail: String?)
    /// The control watcher's look (every 250 ms, and after the admin API changed a hold):
    /// re-reads the holds if they changed (always when `force`); whether what is held
    /// changed (then the dispatcher is woken).
    func watch(now: Date, force: Bool) -> Bool
}

extension DecisionGuard {
    package func watch(now: Date, force: Bool) -> Bool { false }
}

/// No guardrails: every decision passes, nothing is held.
package struct NoGuard: DecisionGuard {
    package init() {}
    package func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision { decision }
    package func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? { nil }
    package func recordBudgetStop(vin: String, at: Date, detail: String?) {}
}

extension SafetyGuard: DecisionGuard {}
