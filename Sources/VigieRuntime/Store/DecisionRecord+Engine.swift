import Foundation
import OutcomeStore
import RuleEngine

extension DecisionRecord {
    /// The store's view of an engine decision.
    package init(_ decision: Decision, inboxId: Int64? = nil) {
        self.init(at: Timestamp.date(decision.at), vin: decision.vin, bundle: decision.bundle, rule: decision.rule,
                  event: decision.event == .fired ? .fired : .suppressed, reason: decision.reason?.rawValue,
                  actions: decision.actions.map { action in
                      switch action {
                      case .remote(let body): return .remote(body)
                      case .notify(let text): return .notify(text)
                      }
                  }, inboxId: inboxId)
    }

    /// Back to the engine's type (nil for a reason this build does not know).
    package var engineDecision: Decision? {
        var reasonValue: Decision.Reason?
        if let reason {
            guard let known = Decision.Reason(rawValue: reason) else { return nil }
            reasonValue = known
        }
        return Decision(at: Timestamp.millis(at), vin: vin, bundle: bundle, rule: rule,
                        event: event == .fired ? .fired : .suppressed, reason: reasonValue,
                        actions: actions.map { action in
                            switch action {
                            case .remote(let body): return .remote(body)
                            case .notify(let text): return .notify(text)
                            }
                        })
    }
}
