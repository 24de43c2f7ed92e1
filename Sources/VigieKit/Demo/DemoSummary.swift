import Foundation
import OutcomeStore

/// The closing table of `vigie demo`: per rule, decisions fired, suppressions by
/// reason, remote commands done (`Success`/`AlreadyDone`), failed (failed, timed out)
/// and not sent (skipped, or still in flight when the demo ended), notify actions, and
/// their deliveries the channel accepted (`delivered`).
struct DemoSummary: Equatable {
    struct Row: Equatable {
        var rule: String
        var fired = 0
        var suppressed: [String: Int] = [:]
        var commandsDone = 0
        var commandsFailed = 0
        var commandsOther = 0
        var notifies = 0
        var delivered = 0
    }

    var rows: [Row]

    init(_ decisions: [LoggedDecision], deliveries: [NotificationDeliveryRecord] = []) {
        var byRule: [String: Row] = [:]
        let rules = Dictionary(decisions.compactMap { d in d.firing.id.map { ($0, "\(d.firing.bundle)/\(d.firing.rule)") } },
                               uniquingKeysWith: { a, _ in a })
        for delivery in deliveries where delivery.status == .delivered {
            guard let key = delivery.firingId.flatMap({ rules[$0] }) else { continue }
            byRule[key, default: Row(rule: key)].delivered += 1
        }
        for logged in decisions {
            let key = "\(logged.firing.bundle)/\(logged.firing.rule)"
            var row = byRule[key] ?? Row(rule: key)
            if logged.firing.event == "fired" {
                row.fired += 1
            } else {
                row.suppressed[logged.firing.reason ?? "unknown", default: 0] += 1
            }
            for record in logged.actionRecords {
                switch record.actionStatus {
                case .notified?: row.notifies += 1
                case .succeeded?, .alreadyDone?: row.commandsDone += 1
                case .failed?, .timedOut?: row.commandsFailed += 1
                default: row.commandsOther += 1
                }
            }
            byRule[key] = row
        }
        rows = byRule.values.sorted { $0.rule < $1.rule }
    }

    var totals: Row {
        rows.reduce(into: Row(rule: "total")) { t, r in
            t.fired += r.fired
            t.suppressed.merge(r.suppressed, uniquingKeysWith: +)
            t.commandsDone += r.commandsDone
            t.commandsFailed += r.commandsFailed
            t.commandsOther += r.commandsOther
            t.notifies += r.notifies
            t.delivered += r.delivered
        }
    }

    /// The table as text, with a total line.
    var text: String {
        let header = ["rule", "fired", "suppressed", "cmd done", "cmd failed", "cmd other", "notifies", "delivered"]
        let body = (rows + [totals]).map { r in
            [r.rule, "\(r.fired)", Self.reasons(r.suppressed), "\(r.commandsDone)", "\(r.commandsFailed)",
             "\(r.commandsOther)", "\(r.notifies)", "\(r.delivered)"]
        }
        let all = [header] + body
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let gap = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 || i == 2 ? cell + gap : gap + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        var out = [line(header), line(rule)] + body.dropLast().map(line)
        out += [line(rule), line(body.last!)]
        return out.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }

    /// `cooldown 2, stale 1` (sorted), or `0`.
    static func reasons(_ counts: [String: Int]) -> String {
        guard !counts.isEmpty else { return "0" }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
