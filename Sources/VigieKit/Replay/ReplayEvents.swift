import Foundation
import RuleEngine
import RuleLanguage
import StellantisModels
import VehicleData

/// One line of a replay file (DESIGN.md "Command-line contract"), decoded into an
/// observation: `status` through `StatusDecoder`, `set` by rule-language field names,
/// `message` through `InboundMessage`, as `vigie serve` reads a notification (a remote
/// event changes no field).
package struct ReplayEvent: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable { case status, set, message }
    package var line: Int
    package var at: Millis
    package var vin: String
    package var kind: Kind
    package var observation: Observation
    package var warnings: [DecodeWarning]
}

/// A problem in a replay file, with its 1-based line number.
package struct ReplayError: Error, Sendable, Hashable, CustomStringConvertible {
    package var line: Int
    package var message: String
    package var description: String { "line \(line): \(message)" }
}

package enum ReplayEvents {
    static let keys = ["at", "vin", "status", "set", "message"]

    /// Parses a JSON Lines replay file (LF or CRLF). Blank lines and a leading byte-order mark are skipped. Every broken line is
    /// reported (bad JSON, unknown key, unknown field, bad value, bad or backwards `at`).
    /// Lines are read by VehicleData's strict parser (`JSONValue(parsing:)`, nesting
    /// capped), about 12× faster than `JSONDecoder`.
    package static func parse(_ text: String) -> (events: [ReplayEvent], errors: [ReplayError]) {
        var events: [ReplayEvent] = [], errors: [ReplayError] = []
        var last: Millis?
        // A byte-order mark (editors on Windows write one) is no part of the first line.
        let text = text.first == "\u{FEFF}" ? String(text.dropFirst()) : text
        // "\r\n" is one Character in Swift: split on it too, or CRLF lines would run together.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (i, raw) in lines.enumerated() {
            let lineText = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if lineText.isEmpty { continue }
            let n = i + 1
            let json: JSONValue
            do { json = try JSONValue(parsing: lineText) } catch {
                errors.append(ReplayError(line: n, message: "bad JSON: \(error)"))
                continue
            }
            switch parseLine(json, line: n) {
            case .failure(let e): errors.append(e)
            case .success(let event):
                if let last, event.at < last {
                    errors.append(ReplayError(line: n, message: "`at` goes backwards: \(RFC3339.formatUTC(event.at)) is before "
                                              + "the previous line's \(RFC3339.formatUTC(last))"))
                    continue
                }
                last = event.at
                events.append(event)
            }
        }
        return (events, errors)
    }

    static func parseLine(_ json: JSONValue, line n: Int) -> Result<ReplayEvent, ReplayError> {
        func fail(_ m: String) -> Result<ReplayEvent, ReplayError> { .failure(ReplayError(line: n, message: m)) }
        guard let o = json.objectValue else { return fail("expected a JSON object {\"at\", \"vin\", and one of status, set, message}") }
        for key in o.keys.sorted() where !keys.contains(key) {
            let hint = nearest(key, in: keys).map { " (did you mean `\($0)`?)" } ?? ""
            return fail("unknown key `\(shown(key))`\(hint); expected at, vin and one of status, set, message")
        }
        guard let atText = o["at"]?.stringValue else { return fail("missing `at` (an RFC 3339 timestamp)") }
        guard let at = RFC3339.parse(atText) else { return fail("bad timestamp `\(shown(atText))` (expected RFC 3339, e.g. 2026-03-01T08:00:00Z)") }
        guard let vin = o["vin"]?.stringValue, !vin.isEmpty else { return fail("missing `vin` (a string)") }
        let bodies = ["status", "set", "message"].filter { o[$0] != nil }
        guard bodies.count == 1, let kind = ReplayEvent.Kind(rawValue: bodies[0]) else {
            return fail(bodies.isEmpty ? "expected one of `status`, `set`, `message`"
                        : "a line carries one of `status`, `set`, `message`, not \(bodies.joined(separator: " and "))")
        }
        let body = o[kind.rawValue]!
        switch kind {
        case .status:
            guard body.objectValue != nil else { return fail("`status` must be an object (a GET .../status payload)") }
            let decoded = StatusDecoder.decode(body)
            return .success(ReplayEvent(line: n, at: at, vin: vin, kind: kind, observation: decoded.observation, warnings: decoded.warnings))
        case .set:
            return parseSet(body, line: n).map { ReplayEvent(line: n, at: at, vin: vin, kind: kind, observation: $0, warnings: []) }
        case .message:
            return parseMessage(body, line: n).map {
                ReplayEvent(line: n, at: at, vin: vin, kind: kind, observation: $0.0, warnings: $0.1)
            }
        }
    }

    static func parseSet(_ body: JSONValue, line n: Int) -> Result<Observation, ReplayError> {
        guard let o = body.objectValue else { return .failure(ReplayError(line: n, message: "`set` must be an object of field: value")) }
        var observation = Observation()
        for name in o.keys.sorted() {
            guard let field = Catalog.field(named: name) else {
                let hint = nearest(name, in: Catalog.fields.map(\.alias)).map { " (did you mean `\($0)`?)" } ?? ""
                return .failure(ReplayError(line: n, message: "unknown field `\(shown(name))`\(hint)"))
            }
            let value = o[name]!
            if value.isNull { continue }
            guard let v = FieldValue(json: value, for: field) else {
                return .failure(ReplayError(line: n, message: "bad value for `\(name)`: expected \(expected(field.type))"))
            }
            observation[field.id] = v
        }
        return .success(observation)
    }

    /// A webhook Message (or an array of them) read exactly as `vigie serve` reads a
    /// stored notification (`InboundMessage.read`): a monitor event's observation, data
    /// times included (`MonitorEventContent.reading()`); a remote event changes no field.
    /// A replay file is checked a little more than the inbox: a message must be an object
    /// with a `type` of Monitor or Remote (or none), and a monitor event needs `values`.
    static func parseMessage(_ body: JSONValue, line n: Int) -> Result<(Observation, [DecodeWarning]), ReplayError> {
        var observation = Observation(), warnings: [DecodeWarning] = []
        for item in body.arrayValue ?? [body] {
            guard item.objectValue != nil else {
                return .failure(ReplayError(line: n, message: "`message` must be a webhook Message object (or an array of them)"))
            }
            let message: InboundMessage
            switch InboundMessage.read(item) {
            case .failure(let problem): return .failure(ReplayError(line: n, message: "`message`: \(problem.text)"))
            case .success(let read): message = read
            }
            if let type = message.type, type != "Monitor" && type != "Remote" {
                return .failure(ReplayError(line: n, message: "`message.type` must be Monitor or Remote"))
            }
            guard case .monitor(let event) = message.kind else { continue }   // a remote event changes no field
            guard event.event["values"]?.arrayValue != nil else {
                return .failure(ReplayError(line: n, message: "a Monitor message needs `monitorEvent.values` (an array)"))
            }
            merge(event.reading(), into: &observation, &warnings)
        }
        return .success((observation, warnings))
    }

    static func expected(_ type: ValueType) -> String {
        switch type {
        case .number(let d): return d == .scalar ? "a number" : "a number in \(d.canonicalUnit)"
        case .bool: return "true or false"
        case .enumeration(let m): return "one of \(members(m))"
        case .enumSet(let m): return "a list of \(members(m))"
        case .point: return "{\"lat\": …, \"lon\": …}"
        }
    }

    /// Enum members for an error: all of a short list; the first ones of a long one
    /// (`alerts` has over a hundred; found by the event-file fuzzer).
    static func members(_ m: [String]) -> String {
        guard m.count > 8 else { return m.joined(separator: ", ") }
        return m.prefix(6).joined(separator: ", ") + ", … (\(m.count) members, see docs/fields.md)"
    }

    /// User text quoted in an error: control characters escaped, at most 60 characters,
    /// so each error stays one short line (found by the event-file fuzzer).
    static func shown(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F: out += "\\u{" + String(u.value, radix: 16) + "}"
            default: out.unicodeScalars.append(u)
            }
            if out.unicodeScalars.count > 60 { return String(out.unicodeScalars.prefix(57)) + "…" }
        }
        return out
    }

    /// The closest name within a small edit distance (typos; `Suggestion`).
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        Suggestion.nearest(to: word, in: candidates)
    }
}
