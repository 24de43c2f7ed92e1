import Foundation
import RuleLanguage
import StellantisModels
import VehicleData

/// Renders a compilation as `vigie compile` prints it: DESIGN.md's JSON (sorted keys,
/// explicit nulls) or a text report per rule with a cost summary.
public enum CompilationReport {
    public static func json(_ c: Compilation) -> String {
        let monitors: [JSONValue] = c.monitors.map { m in
            .object([
                "vin": m.vin.map(JSONValue.string) ?? .null,
                "fleet": m.fleet.map(JSONValue.string) ?? .null,
                "rules": .array(m.rules.map(JSONValue.string)),
                "monitor": jsonValue(m.monitor),
            ])
        }
        let rules: [JSONValue] = c.rules.map { r in
            .object([
                "bundle": .string(r.bundle),
                "rule": .string(r.rule),
                "runs": .string(r.runs.rawValue),
                "reason": r.reason.map(JSONValue.string) ?? .null,
                "pollEvery": r.pollEvery.map { .number(Double($0)) } ?? .null,
            ])
        }
        return CanonicalJSON.text(.object(["monitors": .array(monitors), "rules": .array(rules)])) + "\n"
    }

    /// A monitor body as the JSON value POSTed.
    public static func jsonValue(_ body: MonitorParameter) -> JSONValue {
        guard let data = try? JSONEncoder().encode(body),
              let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return .null }
        return value
    }

    public static func text(_ c: Compilation) -> String {
        var out = "Rules:\n"
        for r in c.rules {
            out += "  \(r.bundle)/\(r.rule): \(whereItRuns(r))\n"
        }
        out += "\nSummary (\(c.api == .b2c ? "B2C, per vehicle" : "B2B, per fleet")):\n"
        for v in c.vehicles {
            let who = v.vin ?? v.fleet.map { "fleet \($0)" } ?? "every selected vehicle"
            let triggers = v.monitors.map { String($0.monitor.triggerParam.triggers.count) }
            out += "  \(who): \(v.monitors.count) monitor\(v.monitors.count == 1 ? "" : "s")"
            out += triggers.isEmpty ? "" : " (triggers per monitor: \(triggers.joined(separator: ", ")))"
            out += "; \(Int((v.serverShare * 100).rounded())) % of \(v.placements.count) rules watched server-side"
            if let p = v.pollEvery { out += "; status polled every \(minutes(p))" }
            out += "; ~\(v.estimatedCallsPerDay) API calls/day (status polls + remotes)\n"
        }
        return out
    }

    static func whereItRuns(_ r: RulePlacement) -> String {
        switch r.runs {
        case .server:
            if r.monitorIndex == nil, let reason = r.reason { return "nothing to watch: \(reason)" }
            return "watched by the server, exact"
        case .prefilter:
            let checks = r.localChecks.isEmpty ? "the whole condition" : r.localChecks.joined(separator: "; ")
            return "server prefilter + local check of \(checks)"
                + (r.notes.isEmpty ? "" : " — " + r.notes.joined(separator: "; "))
                + (r.pollEvery.map { "; status polled every \(minutes($0)) to keep its ages' data times fresh" } ?? "")
        case .polling:
            return "polled every \(minutes(r.pollEvery ?? 300)) because \(r.reason ?? "no monitor can watch it")"
        }
    }

    static func minutes(_ seconds: Int) -> String {
        seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
    }
}
