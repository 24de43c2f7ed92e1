import Foundation
import RuleEngine
import VehicleData
import Yams

/// A rule unit-test file (docs/testing.md), in the spirit of `promtool test rules`:
///
/// ```yaml
/// rule_files: [../Rules/ev-charging.yaml]     # relative to this file
/// start: 2026-03-02T21:00:00Z                 # default start of every test
/// vehicle: VF3TEST0000000001                  # default vin of timeline lines
/// tests:
///   - name: low battery charges off-peak after 5 minutes
///     timeline:
///       - { at: +0m, set: { battery.level: 18, charging.plugged: true } }
///     until: +1h
///     expect:
///       - { at: +5m, rule: low-battery-charge-off-peak, actions: [{ remote: { charging: { immediate: true } } }] }
///     never: [critical-battery-charge-now]
/// ```
package struct RuleTestFile: Sendable {
    package struct Case: Sendable {
        package var name: String
        package var line: Int
        package var start: Millis
        package var events: [ReplayEvent]
        package var until: Millis?
        /// Only decisions of these rules are compared with `expect` (nil: all).
        package var rules: [String]?
        package var expect: [Expectation]
        package var never: [String]
    }

    /// One expected decision; nil fields are not checked.
    package struct Expectation: Sendable {
        package var line: Int
        package var at: Millis?
        package var vin: String?
        package var bundle: String?
        package var rule: String?
        package var event: Decision.Event
        package var reason: String??
        /// Each listed action must match the decision's action at the same place:
        /// remote bodies as a JSON subset, notify texts exactly (or `notify_contains`).
        package var actions: [JSONValue]?
    }

    package var path: String
    package var ruleFiles: [String]
    package var inventory: Inventory?
    package var cases: [Case]
}

package struct RuleTestFileError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var line: Int?
    package var message: String
    package var description: String { line.map { "\(path):\($0): error: \(message)" } ?? "\(path): error: \(message)" }
}

extension RuleTestFile {
    package static func load(path: String, in directory: URL) throws -> RuleTestFile {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw RuleTestFileError(path: path, line: nil, message: "cannot read the test file")
        }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw RuleTestFileError(path: path, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root = node?.mapping else { throw RuleTestFileError(path: path, line: nil, message: "expected a mapping with `tests`") }
        return try RuleTestParser(path: path, base: url.deletingLastPathComponent()).file(root)
    }
}

/// Reads the YAML of a test file, strictly (unknown keys are errors, with their line).
struct RuleTestParser {
    let path: String
    let base: URL

    func fail(_ node: Node?, _ message: String) -> RuleTestFileError {
        RuleTestFileError(path: path, line: node?.mark?.line, message: message)
    }

    func check(_ map: Node.Mapping, allowed: [String], what: String) throws {
        for (key, _) in map {
            guard let k = key.string, allowed.contains(k) else {
                throw fail(key, "unknown key `\(key.string ?? "?")` in \(what) (expected \(allowed.joined(separator: ", ")))")
            }
        }
    }

    func file(_ root: Node.Mapping) throws -> RuleTestFile {
        try check(root, allowed: ["rule_files", "start", "vehicle", "inventory", "tests"], what: "the test file")
        guard let files = root["rule_files"]?.sequence?.compactMap(\.string), !files.isEmpty else {
            throw fail(root["rule_files"], "`rule_files` must list the rule files under test")
        }
        let resolved = files.map { $0.hasPrefix("/") ? $0 : base.appendingPathComponent($0).standardizedFileURL.path }
        var inventory: Inventory?
        if let inv = root["inventory"] {
            do {
                if let p = inv.string {
                    inventory = try ReplayInventory.load(path: p.hasPrefix("/") ? p : base.appendingPathComponent(p).path)
                } else {
                    inventory = try Inventory(json: YAMLJSON.value(inv))
                }
            } catch { throw fail(inv, "inventory: \(error)") }
        }
        let start = try root["start"].map { try absolute($0) }
        let vehicle = root["vehicle"]?.string
        guard let tests = root["tests"]?.sequence else { throw fail(root["tests"], "`tests` must be a list") }
        guard !tests.isEmpty else { throw fail(root["tests"], "`tests` is empty: a test file holds at least one test") }
        let cases = try tests.map { try testCase($0, start: start, vehicle: vehicle) }
        return RuleTestFile(path: path, ruleFiles: resolved, inventory: inventory, cases: cases)
    }

    func absolute(_ node: Node) throws -> Millis {
        guard let s = node.string, let t = RFC3339.parse(s) else { throw fail(node, "expected an RFC 3339 time, e.g. 2026-03-02T08:00:00Z") }
        return t
    }

    /// `+5m`, `+1h30m`, `+90s`, `+1d`, `0`, or an absolute RFC 3339 time.
    func time(_ node: Node?, start: Millis) throws -> Millis {
        guard let node, let s = node.string else { throw fail(node, "missing time (`+5m` or RFC 3339)") }
        if let t = RFC3339.parse(s) { return t }
        guard let offset = RuleTestParser.offset(s) else { throw fail(node, "bad time `\(s)` (expected +5m, +1h30m, +90s or RFC 3339)") }
        return start + offset
    }

    static func offset(_ text: String) -> Millis? {
        var s = Substring(text)
        if s.hasPrefix("+") { s = s.dropFirst() }
        if s == "0" { return 0 }
        var total: Millis = 0, number: Millis?, any = false
        for c in s {
            if let d = c.wholeNumberValue {
                number = (number ?? 0) * 10 + Millis(d)
            } else {
                guard let n = number, let unit = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000][c] else { return nil }
                total += n * Millis(unit)
                number = nil
                any = true
            }
        }
        return any && number == nil ? total : nil
    }

    func testCase(_ node: Node, start defaultStart: Millis?, vehicle: String?) throws -> RuleTestFile.Case {
        guard let map = node.mapping else { throw fail(node, "a test is a mapping with `name` and `timeline`") }
        try check(map, allowed: ["name", "start", "vehicle", "timeline", "until", "rules", "expect", "never"], what: "a test")
        let name = map["name"]?.string ?? "test at line \(node.mark?.line ?? 0)"
        guard let start = try map["start"].map({ try absolute($0) }) ?? defaultStart else {
            throw fail(node, "test \"\(name)\": no `start` (give it here or at the top of the file)")
        }
        let vin = map["vehicle"]?.string ?? vehicle
        var events: [ReplayEvent] = []
        for item in map["timeline"]?.sequence ?? [] {
            guard let line = item.mapping else { throw fail(item, "a timeline entry is a mapping: {at, vin?, set|status|message}") }
            var json = YAMLJSON.value(item).objectValue ?? [:]
            json["at"] = .string(RFC3339.formatUTC(try time(line["at"], start: start)))
            if json["vin"] == nil, let vin { json["vin"] = .string(vin) }
            switch ReplayEvents.parseLine(.object(json), line: item.mark?.line ?? 0) {
            case .failure(let e): throw RuleTestFileError(path: path, line: e.line, message: e.message)
            case .success(let event):
                if let last = events.last, event.at < last.at { throw fail(item, "timeline goes backwards in time") }
                events.append(event)
            }
        }
        let until = try map["until"].map { try time($0, start: start) }
        let expect = try (map["expect"]?.sequence ?? []).map { try expectation($0, start: start, vehicle: vin) }
        let rules = map["rules"]?.sequence?.compactMap(\.string)
        let never = map["never"]?.sequence?.compactMap(\.string) ?? []
        return .init(name: name, line: node.mark?.line ?? 0, start: start, events: events, until: until, rules: rules,
                     expect: expect, never: never)
    }

    func expectation(_ node: Node, start: Millis, vehicle: String?) throws -> RuleTestFile.Expectation {
        guard let map = node.mapping else { throw fail(node, "an expected decision is a mapping: {at, rule, …}") }
        try check(map, allowed: ["at", "vin", "bundle", "rule", "event", "reason", "actions"], what: "an expected decision")
        let event = try map["event"].map { n -> Decision.Event in
            guard let e = n.string.flatMap(Decision.Event.init(rawValue:)) else { throw fail(n, "`event` is fired or suppressed") }
            return e
        } ?? .fired
        var reason: String?? = nil
        if let r = map["reason"] { reason = .some(r.string == "null" ? nil : r.string) }
        return .init(line: node.mark?.line ?? 0, at: try map["at"].map { try time($0, start: start) },
                     vin: map["vin"]?.string ?? nil, bundle: map["bundle"]?.string, rule: map["rule"]?.string,
                     event: event, reason: reason, actions: map["actions"]?.sequence?.map(YAMLJSON.value))
    }
}

/// YAML nodes as JSON values with YAML 1.2 core-schema scalars (plain `true`/`false`,
/// numbers, `null`/`~`; quoted scalars are strings).
enum YAMLJSON {
    static func value(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s):
            guard s.style == .plain || s.style == .any else { return .string(s.string) }
            switch s.string {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            case "null", "Null", "NULL", "~", "": return .null
            default:
                if s.string.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true,
                   let n = Double(s.string), n.isFinite { return .number(n) }
                return .string(s.string)
            }
        case .sequence(let seq): return .array(seq.map(value))
        case .mapping(let map):
            var o: [String: JSONValue] = [:]
            for (k, v) in map { o[k.string ?? ""] = value(v) }
            return .object(o)
        case .alias: return .null
        }
    }
}
