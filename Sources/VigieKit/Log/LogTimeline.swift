import Foundation
import OutcomeStore

/// The readable form of `vigie log`: one line per decision, then one indented line per
/// action with its outcome.
///
///     2026-03-02T22:05:00Z  VR3…  ev-charging/low-battery  fired
///       remote {"charging":{"immediate":true}}  succeeded (1 attempt, remoteActionId ra-1)
///       notify "VR3…: battery at 18 %"
///     2026-03-02T22:35:00Z  VR3…  ev-charging/low-battery  suppressed (cooldown)
///     2026-03-02T22:40:00Z  VR3…  manual/charge  fired (charge: start, asked by alice via cli)
package enum LogTimeline {
    /// One decision; `manual` is who asked when it is a manual command (`vigie send`, the console).
    package static func text(_ logged: LoggedDecision, manual: ManualCommandRecord? = nil,
                            deliveries: [Int64: [NotificationDeliveryRecord]] = [:]) -> String {
        let firing = logged.firing
        var out = "\(Timestamp.format(firing.at))  \(firing.vin)  \(firing.bundle)/\(firing.rule)  \(firing.event)"
        if let reason = firing.reason { out += " (\(reason))" }
        if let manual { out += " (\(manual.action), asked by \(manual.requestedBy) via \(manual.via))" }
        out += "\n"
        let actions = logged.decision.actions
        for (index, action) in actions.enumerated() {
            switch action {
            case .remote(let body):
                out += "  remote \(StoreJSON.string(body))"
                if let record = logged.actionRecords.first(where: { $0.position == index }) {
                    out += "  " + outcome(record)
                }
            case .notify(let text):
                out += "  notify " + StoreJSON.string(.string(text)) + "\n"
                out += LogDeliveries.lines(logged, position: index, deliveries)
                continue
            }
            out += "\n"
        }
        return out
    }

    /// `succeeded (2 attempts, remoteActionId ra-1)`, `failed: DoorsOpen (…)`, `not sent (dry run)`.
    static func outcome(_ record: ActionRecord) -> String {
        var words: String
        switch record.actionStatus {
        case .notSent?: return "not sent (dry run)"
        case .queued?: words = "queued"
        case .sending?: words = "sending"
        case .sent?: words = "sent, awaiting the vehicle"
        case .pending?: words = "pending in the vehicle"
        case .succeeded?: words = "succeeded"
        case .alreadyDone?: words = "already done"
        case .failed?: words = "failed"
        case .timedOut?: words = "timed out"
        case .skipped?: words = "skipped"
        case .notified?, nil: words = record.status
        }
        if let cause = record.failureCause { words += ": \(cause)" }
        var details: [String] = []
        if record.attempts > 0 { details.append("\(record.attempts) attempt\(record.attempts == 1 ? "" : "s")") }
        if let id = record.remoteActionId { details.append("remoteActionId \(id)") }
        return details.isEmpty ? words : words + " (" + details.joined(separator: ", ") + ")"
    }

    /// `3 decisions (2 fired, 1 suppressed)` or `no decisions`.
    package static func summary(_ decisions: [LoggedDecision]) -> String {
        guard !decisions.isEmpty else { return "no decisions\n" }
        let fired = decisions.filter { $0.firing.event == "fired" }.count
        return "\(decisions.count) decision\(decisions.count == 1 ? "" : "s") (\(fired) fired, "
            + "\(decisions.count - fired) suppressed)\n"
    }
}
