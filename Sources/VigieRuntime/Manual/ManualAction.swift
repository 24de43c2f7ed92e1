import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData

/// A remote action of the rule language given by hand — `vigie send VIN charge:start`, the
/// console's command form — read and checked by the rule language itself: the text goes in
/// a `then:` item of a one-rule bundle, so the syntax, the checks and the messages are the
/// rule files' own (docs/console.md "Manual commands"). Diagnostics point into the text
/// (file `action`, line 1, its columns).
///
/// `doors: unlock` needs the same explicit opt-in as in a rule file: `allowUnlock` (the
/// CLI's `--allow-unlock`, the console's confirmation box), else a `sensitive-action` error.
package struct ManualAction: Sendable, Hashable {
    /// `charge`, `doors`, … (the decision's rule in the log).
    package var name: String
    /// The action as given, trimmed (`charge: start`).
    package var text: String
    package var command: RemoteCommand

    /// The actions that send a remote command (`notify` is not one: it reaches people, not
    /// the car, and has no vehicle values to render by hand).
    package static let names = ["charge", "doors", "horn", "lights", "navigate", "precondition", "wake_up"]

    /// The file name diagnostics carry.
    package static let file = "action"

    /// What to tell someone who asks for `doors: unlock` without opting in.
    package enum OptIn: Sendable {
        case flag(String)
        case confirmation(String)

        var note: String {
            switch self {
            case .flag(let flag): return "pass \(flag) to send it anyway (see docs/safety.md)"
            case .confirmation(let what): return "tick \"\(what)\" to send it anyway (see docs/safety.md)"
            }
        }
    }

    /// Reads `text` (`KIND: ARGUMENT`, the space after `:` optional: `charge:start`,
    /// `charge: {at: "23:30"}`, `navigate: {to: {lat: 48.8, lon: 2.3}}`). Returns the action,
    /// or nil and the errors (never both empty).
    package static func parse(_ text: String, allowUnlock: Bool, optIn: OptIn) -> (action: ManualAction?, errors: [Diagnostic]) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lead = text.prefix { $0 == " " || $0 == "\t" }.count
        func error(_ code: String, _ message: String, column: Int = 1, width: Int = 1, notes: [String] = []) -> Diagnostic {
            Diagnostic(severity: .error, code: code, message: message,
                       range: SourceRange(file: file, start: SourceLocation(line: 1, column: column),
                                          end: SourceLocation(line: 1, column: column + max(1, width))),
                       notes: notes)
        }
        let kinds = names.map { "`\($0)`" }.joined(separator: ", ")
        if let bad = text.unicodeScalars.firstIndex(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
            let column = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: bad) + 1
            return (nil, [error("bad-action", "an action is one line of text", column: column)])
        }
        guard !trimmed.isEmpty else {
            return (nil, [error("bad-action", "no action given", notes: ["write `KIND: ARGUMENT`, e.g. `charge: start`; KIND is one of \(kinds)"])])
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            return (nil, [error("bad-action", "an action is `KIND: ARGUMENT`, e.g. `charge: start`", column: lead + 1,
                                width: trimmed.count, notes: ["KIND is one of \(kinds)"])])
        }
        let kind = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
        if kind == "notify" {
            return (nil, [error("bad-action", "`notify` cannot be sent by hand: a manual command is a remote command to the car",
                                column: lead + 1, width: kind.count, notes: ["KIND is one of \(kinds)"])])
        }
        // The bundle's name only serves this check (`manual` itself is reserved: commands
        // sent by hand are recorded under `ManualCommandRecord.bundle`).
        // The text in a one-rule bundle, on the last line: `      - ` + text with a space after
        // the first colon (YAML needs one). Columns map back by removing the prefix and space.
        let prefix = "      - "
        let colonOffset = trimmed.distance(from: trimmed.startIndex, to: colon)
        let line = prefix + trimmed[...colon] + " " + trimmed[trimmed.index(after: colon)...]
        let yaml = """
            vigie: 1
            bundle: manual-send
            \(allowUnlock ? "allow: [doors.unlock]\n" : "")rules:
              - id: send
                when: charging.plugged
                then:
            \(line)

            """
        let lineNumber = yaml.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == line[...] }.map { $0 + 1 } ?? 0
        func column(_ location: SourceLocation) -> Int {
            guard location.line == lineNumber else { return lead + 1 }
            let offset = location.column - 1 - prefix.count
            if offset < 0 { return lead + 1 }
            return lead + (offset <= colonOffset ? offset + 1 : offset)
        }
        let result = RuleValidator.validate([SourceFile(path: file, text: yaml)])
        let errors = result.diagnostics.filter { $0.severity == .error }.map { diagnostic -> Diagnostic in
            var mapped = diagnostic
            let start = column(diagnostic.range.start)
            let end = max(start + 1, diagnostic.range.end.line == lineNumber ? column(diagnostic.range.end) : start + 1)
            mapped.range = SourceRange(file: file, start: SourceLocation(line: 1, column: start),
                                       end: SourceLocation(line: 1, column: end))
            if diagnostic.code == "sensitive-action" {
                mapped.message = "`doors: unlock` opens the car to others; it needs an explicit opt-in"
                mapped.notes = [optIn.note]
            }
            return mapped
        }
        if !errors.isEmpty { return (nil, errors) }
        guard case .remote(let command)? = result.bundles.first?.rules.first?.actions.first else {
            return (nil, [error("bad-action", "`\(kind)` is not a remote command", column: lead + 1, width: kind.count,
                                notes: ["KIND is one of \(kinds)"])])
        }
        let argument = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return (ManualAction(name: kind, text: kind + ": " + argument, command: command), [])
    }

    /// The request body as POSTed at `now` (`charge: {at:}` is the next such time in `timeZone`).
    package func body(at now: Date, timeZone: ZoneClock) -> JSONValue {
        RemoteBody.body(command, firedAt: Timestamp.millis(now), clock: timeZone)
    }

    /// The store's request for this action on `vin`.
    package func request(vin: String, requestedBy: String, via: String, at now: Date, timeZone: ZoneClock,
                        requireKnownVehicle: Bool = true) -> ManualCommandRequest {
        ManualCommandRequest(vin: vin, action: text, name: name, body: body(at: now, timeZone: timeZone),
                             requestedBy: requestedBy, via: via, requireKnownVehicle: requireKnownVehicle)
    }

    /// The errors as the rule files' are printed: `action:1:COL: error[code]: …`, the text
    /// and a caret line, the notes.
    package static func render(_ errors: [Diagnostic], text: String) -> String {
        let renderer = TextDiagnosticRenderer()
        return errors.map { renderer.render($0, lines: [Substring(text)]) }.joined()
    }
}
