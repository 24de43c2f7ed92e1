import Foundation
import GRDB
import VehicleData

/// A decision as the log shows it: the firing row and its actions' outcomes.
package struct LoggedDecision: Sendable, Hashable, Decodable {
    package var firing: FiringRecord
    /// One per action of a fired decision, in action order (none for a suppression).
    package var actionRecords: [ActionRecord]

    package init(firing: FiringRecord, actionRecords: [ActionRecord]) {
        self.firing = firing
        self.actionRecords = actionRecords
    }
}

extension LoggedDecision: FetchableRecord {}

extension LoggedDecision {
    /// The decision in the dry-run shape (the stored `actions` JSON read back).
    package var decision: DecisionRecord {
        let actions = (StoreJSON.parse(firing.actions)?.arrayValue ?? []).compactMap(DecisionRecord.Action.init(jsonValue:))
        return DecisionRecord(at: firing.at, vin: firing.vin, bundle: firing.bundle, rule: firing.rule,
                              event: DecisionRecord.Event(rawValue: firing.event) ?? .fired,
                              reason: firing.reason, actions: actions, inboxId: firing.inboxId)
    }

    /// One JSON Lines object: the dry-run keys (`at`, `vin`, `bundle`, `rule`, `event`,
    /// `reason`, `actions`) plus `id` and `outcomes`, one per action in action order.
    package var jsonValue: JSONValue {
        guard case .object(var object) = decision.jsonValue else { return .null }
        object["id"] = .number(Double(firing.id ?? 0))
        object["outcomes"] = .array(actionRecords.map(\.outcomeJSON))
        return .object(object)
    }
}

extension ActionRecord {
    /// `{"status", "attempts", "remoteActionId", "failureCause", "sentAt", "doneAt"}`.
    package var outcomeJSON: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return .object([
            "status": .string(status),
            "attempts": .number(Double(attempts)),
            "remoteActionId": optional(remoteActionId),
            "failureCause": optional(failureCause),
            "sentAt": optional(sentAt.map(Timestamp.format)),
            "doneAt": optional(doneAt.map(Timestamp.format)),
        ])
    }
}
