import RuleEngine
import RuleLanguage
import VehicleData

/// How replay decisions print: DESIGN.md JSON Lines (sorted keys, one line each) or a
/// readable timeline.
package enum ReplayFormat {
    /// `{"actions": [...], "at": "…Z", "bundle": …, "event": …, "reason": …, "rule": …, "vin": …}`
    package static func jsonLine(_ d: Decision) -> String {
        CanonicalJSON.text(d.jsonValue, pretty: false)
    }

    /// `2026-03-01T08:05:00Z  VIN  bundle/rule  fired  remote {…}; notify "…"`
    package static func text(_ d: Decision) -> String {
        var line = "\(RFC3339.formatUTC(d.at))  \(d.vin)  \(d.bundle)/\(d.rule)  \(d.event.rawValue)"
        if let reason = d.reason { line += " (\(reason.rawValue))" }
        if !d.actions.isEmpty {
            line += "  " + d.actions.map { action -> String in
                switch action {
                case .remote(let body): return "remote " + CanonicalJSON.text(body, pretty: false)
                case .notify(let text): return "notify " + CanonicalJSON.text(.string(text), pretty: false)
                }
            }.joined(separator: "; ")
        }
        return line
    }

    /// The evaluation, then the condition tree with each node's value.
    package static func text(_ e: Explanation) -> String {
        var out = "explain \(RFC3339.formatUTC(e.at))  \(e.vin)  \(e.bundle)/\(e.rule)  "
            + "(\(e.cause.rawValue), was \(e.phase.rawValue)): \(e.truth)\n"
        for line in e.lines {
            out += String(repeating: "  ", count: line.depth + 1) + "\(line.text) → \(line.truth)\n"
        }
        return out
    }

    package static func summary(_ decisions: [Decision], events: Int) -> String {
        summary(decisions: decisions.count, fired: decisions.filter { $0.event == .fired }.count, events: events)
    }

    /// `N decisions (F fired, S suppressed) from E events`.
    package static func summary(decisions: Int, fired: Int, events: Int) -> String {
        "\(decisions) decision\(decisions == 1 ? "" : "s") (\(fired) fired, "
            + "\(decisions - fired) suppressed) from \(events) event\(events == 1 ? "" : "s")"
    }
}
