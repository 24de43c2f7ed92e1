import Foundation
import RuleEngine

/// The guardrails the runtime consults (H7's `SafetyGuard` in production; see
/// docs/safety.md): every decision passes `review` before it is committed, and the
/// dispatcher asks `dispatchHold` before each send and again at least every 500 ms
/// while it holds work back.
public protocol DecisionGuard: Sendable {
    /// The decision unchanged, or turned into a suppression (`flapping`, `loop`, `paused`).
    func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision
    /// Non-nil: do not send this vehicle's command of `bundle/rule` now.
    func dispatchHold(vin: String, bundle: String, rule: String, now: Date) -> Decision.Reason?
    /// The dispatcher stopped a vehicle's commands for today (budget spent).
    func recordBudgetStop(vin: String, at: Date)
}

extension DecisionGuard {
    public func recordBudgetStop(vin: String, at: Date) {}
}

/// No guardrails: every decision passes, nothing is held.
public struct NoGuard: DecisionGuard {
    public init() {}
    public func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision { decision }
    public func dispatchHold(vin: String, bundle: String, rule: String, now: Date) -> Decision.Reason? { nil }
}
