import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData

/// What `vigie explain` answers: the last evaluation of the rule for the vehicle at or
/// before the instant (the `dry-run --explain` block), the last decision recorded for
/// them at or before it, and how the state was rebuilt.
struct ExplainAnswer {
    /// Where the replay started.
    enum Origin: Equatable {
        /// The engine checkpoint saved at this engine clock, after this inbox row.
        case checkpoint(at: Millis, position: Int64)
        /// An empty engine, at the first inbox row.
        case start
    }

    var at: Millis
    var vin: String
    var bundle: String
    var rule: String
    var explanation: Explanation?
    var lastDecision: LoggedDecision?
    var origin: Origin
    /// Notifications observed by the replay (up to `at`): the vehicle's, or with no reorder
    /// window every vehicle's (`Explain.replay`).
    var observed: Int
    /// Rows skipped: serve sets them aside.
    var unusable: Int

    /// The text: the explanation as `dry-run --explain` prints it, then the last decision
    /// as `vigie log` prints it, then where the replay started.
    var text: String {
        var out = ""
        if let explanation {
            out += ReplayFormat.text(explanation)
        } else {
            out += "explain \(RFC3339.formatUTC(at))  \(vin)  \(bundle)/\(rule): never evaluated for this vehicle "
                + "at or before this instant (no notification of it reached the rule)\n"
        }
        if let lastDecision {
            out += "last decision: " + LogTimeline.text(lastDecision)
            if !out.hasSuffix("\n") { out += "\n" }
        } else {
            out += "last decision: none at or before \(RFC3339.formatUTC(at))\n"
        }
        return out + replayText + "\n"
    }

    /// `replayed N notifications up to T from …` (the text's last line, without its newline).
    var replayText: String {
        var out = "replayed \(observed) notification\(observed == 1 ? "" : "s") up to \(RFC3339.formatUTC(at)) from \(originText)"
        if unusable > 0 { out += "; \(unusable) set aside as serve does" }
        return out
    }

    private var originText: String {
        switch origin {
        case .start: return "the start of the inbox"
        case .checkpoint(let clock, let position):
            return "the engine checkpoint of \(RFC3339.formatUTC(clock)) (inbox row \(position))"
        }
    }

    /// One JSON object, keys sorted: `at`, `vin`, `bundle`, `rule`, `explanation`
    /// (`at`, `cause`, `phase`, `truth`, `lines`: `depth`, `text`, `truth`; null when
    /// never evaluated), `lastDecision` (a `vigie log --format json` line, or null) and
    /// `replay` (`from`, `checkpointAt`, `position`, `notifications`, `setAside`).
    var json: String {
        var replay: [String: JSONValue] = ["notifications": .number(Double(observed)), "setAside": .number(Double(unusable))]
        switch origin {
        case .start:
            replay["from"] = .string("start")
        case .checkpoint(let clock, let position):
            replay["from"] = .string("checkpoint")
            replay["checkpointAt"] = .string(RFC3339.formatUTC(clock))
            replay["position"] = .number(Double(position))
        }
        let object: [String: JSONValue] = [
            "at": .string(RFC3339.formatUTC(at)),
            "vin": .string(vin),
            "bundle": .string(bundle),
            "rule": .string(rule),
            "explanation": explanation.map(Self.json) ?? .null,
            "lastDecision": lastDecision?.jsonValue ?? .null,
            "replay": .object(replay),
        ]
        return CanonicalJSON.text(.object(object), pretty: false) + "\n"
    }

    static func json(_ e: Explanation) -> JSONValue {
        .object([
            "at": .string(RFC3339.formatUTC(e.at)),
            "cause": .string(e.cause.rawValue),
            "phase": .string(e.phase.rawValue),
            "truth": .string("\(e.truth)"),
            "lines": .array(e.lines.map { line in
                .object(["depth": .number(Double(line.depth)), "text": .string(line.text), "truth": .string("\(line.truth)")])
            }),
        ])
    }
}
