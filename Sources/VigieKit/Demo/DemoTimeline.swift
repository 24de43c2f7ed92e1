import Foundation
import OutcomeStore

/// The demo's live timeline: fed the decisions and notification deliveries recorded so
/// far (again and again, as the run goes), it answers the lines not printed yet: one per
/// decision when it is recorded (its notifies, or its suppression), one per remote
/// command when it is queued and again when it reaches a final state, and one per
/// delivery of a notify when it reaches a final state (`delivered`, `failed`, `expired`).
///
///     time (Paris)  vehicle            rule                                command               outcome
///     Mon 07:05     VR1R738FXUS000001  preconditioning/cold-morning-warm-up precondition: start   queued
///     Mon 07:05     VR1R738FXUS000001  preconditioning/cold-morning-warm-up notify                "Warming up"
///     Mon 07:05     VR1R738FXUS000001  preconditioning/cold-morning-warm-up notify → demo-sink    delivered
///     Mon 07:05     VR1R738FXUS000001  preconditioning/cold-morning-warm-up precondition: start   succeeded
struct DemoTimeline {
    let timeZone: TimeZone
    private var seenDecisions = Set<Int64>()
    private var seenActions: [Int64: String] = [:]
    private var seenDeliveries = Set<Int64>()

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    var header: String {
        row("time (\(timeZone.identifier.split(separator: "/").last ?? "UTC"))", "vehicle", "rule", "command", "outcome")
    }

    /// The lines `decisions` and their notify actions' `deliveries` add to what was
    /// printed before.
    mutating func lines(for decisions: [LoggedDecision], deliveries: [NotificationDeliveryRecord] = []) -> [String] {
        var out: [String] = []
        let byFiring = Dictionary(grouping: deliveries.filter { $0.firingId != nil }, by: { $0.firingId! })
        for logged in decisions {
            guard let id = logged.firing.id else { continue }
            let firing = logged.firing
            let time = clock(firing.at)
            let rule = "\(firing.bundle)/\(firing.rule)"
            if seenDecisions.insert(id).inserted {
                if firing.event == "suppressed" {
                    out.append(row(time, firing.vin, rule, "—", "suppressed (\(firing.reason ?? "?"))"))
                }
                for case .notify(let text) in logged.decision.actions {
                    out.append(row(time, firing.vin, rule, "notify", "\"\(text)\""))
                }
            }
            for record in logged.actionRecords where record.kind == "remote" {
                guard let actionId = record.id, seenActions[actionId] != record.status else { continue }
                let wasSeen = seenActions[actionId] != nil
                let final = record.actionStatus?.isFinal ?? true
                // Print a command when first seen and when it ends; not every step between.
                guard !wasSeen || final else { continue }
                seenActions[actionId] = record.status
                let when = final ? clock(record.doneAt ?? record.updatedAt) : time
                let command = StoreJSON.parse(record.payload).map(DemoCommandName.describe) ?? record.payload
                out.append(row(when, firing.vin, rule, command, LogTimeline.outcome(record)))
            }
            for delivery in byFiring[id] ?? [] where delivery.status.isFinal && seenDeliveries.insert(delivery.id).inserted {
                out.append(row(clock(delivery.finishedAt ?? delivery.updatedAt), firing.vin, rule,
                               "notify → \(delivery.channel)", delivery.status.rawValue))
            }
        }
        return out
    }

    /// `Mon 07:05` in the demo's time zone.
    func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return String(format: "%@ %02d:%02d", days[(c.weekday ?? 1) - 1], c.hour ?? 0, c.minute ?? 0)
    }

    private func row(_ time: String, _ vin: String, _ rule: String, _ command: String, _ outcome: String) -> String {
        [pad(time, 13), pad(vin, 18), pad(rule, 46), pad(command, 21), outcome].joined(separator: " ")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
