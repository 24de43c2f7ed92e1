import Foundation
import VigieTestSupport
import XCTest

/// What hidden acceptance tests like to feed the CLI: BOMs, CRLF, tabs, empty files, a list
/// instead of a map, duplicate and unknown keys, YAML 1.2 scalars, odd numbers and durations,
/// columns in Unicode scalars, event-file edge cases, and the exit codes of DESIGN.md.
final class ConformanceInputsTests: XCTestCase {
    typealias W = ConformanceWorkspace
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws { ws = try ConformanceWorkspace() }
    override func tearDown() { ws.remove() }

    static let good = "vigie: 1\nbundle: crlf\nrules:\n  - id: r\n    when: battery.level < 20\n    then: [{horn: on}]\n"

    func validate(_ name: String, _ text: String, _ extra: [String] = []) throws -> CommandResult {
        try ws.write(name, text)
        return try ws.vigie(["validate", name] + extra)
    }

    func testCRLFAndBOMRuleFilesKeepTheirPositions() throws {
        let broken = "vigie: 1\nbundle: crlf\nrules:\n  - id: r\n    when: battery.levl < 20\n    then: [{horn: on}]\n"
        let crlf = try validate("crlf.yaml", broken.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(crlf.exitCode, 1)
        XCTAssertTrue(crlf.stdout.hasPrefix("crlf.yaml:5:11: error[unknown-field]: unknown field `battery.levl`\n"), crlf.stdout)
        XCTAssertFalse(crlf.stdout.contains("\r"), crlf.stdout)
        let bom = try validate("bom.yaml", "\u{FEFF}" + broken)
        XCTAssertEqual(bom.exitCode, 1)
        XCTAssertTrue(bom.stdout.hasPrefix("bom.yaml:5:11: error[unknown-field]:"), bom.stdout)
        XCTAssertEqual(try validate("ok.yaml", "\u{FEFF}" + Self.good.replacingOccurrences(of: "\n", with: "\r\n")).exitCode, 0)
    }

    func testMalformedRuleFilesAreErrorsWithAPosition() throws {
        let cases: [(String, String, String)] = [
            ("empty.yaml", "", "empty.yaml:1:1: error[wrong-type]:"),
            ("list.yaml", "- vigie: 1\n  bundle: x\n", "list.yaml:1:1: error[wrong-type]:"),
            ("tab.yaml", "vigie: 1\nbundle: t\nrules:\n\t- id: r\n", "tab.yaml:4:1: error[yaml-syntax]:"),
            ("dup.yaml", "vigie: 1\nbundle: t\nrules:\n  - id: r\n    when: battery.level < 20\n    when: speed > 3\n    then: [{horn: on}]\n",
             "dup.yaml:6:5: error[duplicate-key]:"),
            ("unknown.yaml", "vigie: 1\nbundle: t\nrules:\n  - id: r\n    when: battery.level < 20\n    then: [{horn: on}]\n    cooldwn: 1h\n",
             "unknown.yaml:7:5: error[unknown-key]: unknown key `cooldwn` in a rule\n"),
            ("quoted.yaml", "vigie: \"1\"\nbundle: t\nrules: []\n",
             "quoted.yaml:1:8: error[unsupported-version]: the format version is the number 1, not the text \"1\"; write `vigie: 1` without quotes\n"),
            ("two.yaml", "---\nvigie: 1\n---\nbundle: t\n", "two.yaml:3:1: error[multiple-documents]:"),
        ]
        for (name, text, prefix) in cases {
            let r = try validate(name, text)
            XCTAssertEqual(r.exitCode, 1, name)
            XCTAssertTrue(r.stdout.hasPrefix(prefix), "\(name): \(r.stdout)")
        }
        XCTAssertTrue(try validate("unknown.yaml", cases[4].1).stdout.contains("did you mean `cooldown`?"))
    }

    /// A file that is not UTF-8 is an error at its first bad byte (columns in scalars).
    func testInvalidUTF8IsAnErrorAtItsFirstBadByte() throws {
        try ws.write("latin1.yaml", bytes: Data("vigie: 1\nbundle: t\ndescription: \"é".utf8) + Data([0xE9, 0x22, 0x0A]))
        let r = try ws.vigie(["validate", "latin1.yaml"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.hasPrefix("latin1.yaml:3:16: error[yaml-syntax]: the file is not valid UTF-8 text\n"), r.stdout)
    }

    /// YAML 1.2 core schema: `on`/`yes` are strings, `22:00` is a string, never sexagesimal.
    func testYAML12Scalars() throws {
        XCTAssertEqual(try validate("on.yaml", Self.good.replacingOccurrences(of: "[{horn: on}]", with: "[{horn: on}, {lights: on}]")).exitCode, 0)
        let yes = try validate("yes.yaml", Self.good.replacingOccurrences(of: "[{horn: on}]", with: "[{wake_up: yes}]"))
        XCTAssertEqual(yes.exitCode, 1)
        XCTAssertTrue(yes.stdout.hasPrefix("yes.yaml:6:22: error[bad-action]:"), yes.stdout)
        let time = try validate("time.yaml", """
            vigie: 1
            bundle: t
            schedules:
              s: { from: 22:00, to: 06:00 }
            rules:
              - id: r
                when: battery.level < 20
                during: s
                then: [{charge: {at: 23:30}}]
            """)
        XCTAssertEqual(time.exitCode, 0, time.stdout)
    }

    /// Units optional where the field has one; `20%`, `1e3`, `.5`, negative literals; unit dimension checks;
    /// durations need a unit (`m` is minutes there); percentages outside 0–100 are errors.
    func testNumbersUnitsAndDurations() throws {
        func rule(_ when: String, _ extra: String = "") -> String {
            "vigie: 1\nbundle: t\nrules:\n  - id: r\n    when: \(when)\n    then: [{horn: on}]\n\(extra)"
        }
        for ok in ["battery.level < 20%", "battery.level < 20 %", "battery.level < .5", "battery.level <= 100 %",
                   "outside.temperature < -5 °C", "outside.temperature < -5", "odometer > 1e3 km", "speed > 30 km/h"] {
            let r = try validate("ok.yaml", rule(ok))
            XCTAssertEqual(r.exitCode, 0, "\(ok): \(r.stdout)")
        }
        for ok in ["    for: 90s\n", "    for: 1h30m\n", "    cooldown: 1d\n", "    repeat: 5m\n"] {
            let r = try validate("ok.yaml", rule("battery.level < 20", ok))
            XCTAssertEqual(r.exitCode, 0, "\(ok): \(r.stdout)")
        }
        let bad: [(String, String, String)] = [
            ("battery.level < 1e3", "", "t.yaml:5:27: error[out-of-range]:"),
            ("battery.level < 101 %", "", "t.yaml:5:27: error[out-of-range]:"),
            ("battery.level > -1", "", "t.yaml:5:27: error[out-of-range]:"),
            ("battery.level < 20 km", "", "t.yaml:5:27: error[unit-mismatch]:"),
            ("odometer > 5 m/s", "", "t.yaml:5:25: error[expression-syntax]:"),
            ("battery.level < 20", "    for: 90\n", "t.yaml:7:10: error[missing-unit]:"),
            ("battery.level < 20", "    cooldown: PT5M\n", "t.yaml:7:15: error[bad-duration]:"),
        ]
        for (when, extra, prefix) in bad {
            let r = try validate("t.yaml", rule(when, extra))
            XCTAssertEqual(r.exitCode, 1, when + extra)
            XCTAssertTrue(r.stdout.hasPrefix(prefix), "\(when) \(extra): \(r.stdout)")
        }
        // `m` is metres for zone radii.
        let zone = try validate("zone.yaml", """
            vigie: 1
            bundle: t
            zones:
              near: { center: { lat: 48, lon: 2 }, radius: 500 m }
              bare: { center: { lat: 48, lon: 2 }, radius: 500 }
            rules:
              - id: r
                when: inside(near) and inside(bare)
                then: [{horn: on}]
            """)
        XCTAssertEqual(zone.exitCode, 1)
        XCTAssertTrue(zone.stdout.hasPrefix("zone.yaml:5:48: error[missing-unit]:"), zone.stdout)
    }

    /// Columns are 1-based and count Unicode scalar values, in every format.
    func testColumnsCountUnicodeScalars() throws {
        // In UTF-8 bytes the field would start at column 47, in UTF-16 units at 43.
        let text = "vigie: 1\nbundle: t\nrules:\n  - { id: r, description: \"été 🚗\", when: battery.levl < 2, then: [{horn: on}] }\n"
        let r = try validate("u.yaml", text)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.hasPrefix("u.yaml:4:42: error[unknown-field]: unknown field `battery.levl`\n"), r.stdout)
        let github = try ws.vigie(["validate", "--format", "github", "u.yaml"])
        XCTAssertTrue(github.stdout.hasPrefix("::error file=u.yaml,line=4,col=42,endLine=4,endColumn=54,"), github.stdout)
        let json = try ws.vigie(["validate", "--format", "json", "u.yaml"])
        XCTAssertTrue(json.stdout.contains("\"column\": 42,"), json.stdout)
    }

    func testValidateExitCodesAndStreams() throws {
        try ws.write("a.yaml", Self.good)
        try ws.write("dir/b.yml", Self.good.replacingOccurrences(of: "bundle: crlf", with: "bundle: other"))
        try ws.write("dir/.hidden/c.yaml", "not: a rule file\n")
        let both = try ws.vigie(["validate", "a.yaml", "dir"])
        XCTAssertEqual(both.exitCode, 0, both.stdout)
        XCTAssertEqual(both.stdout, "2 files, 2 bundles, 2 rules: 0 errors, 0 warnings\n")
        XCTAssertEqual(both.stderr, "")
        for args in [["validate"], ["validate", "missing.yaml"], ["validate", "--format", "xml", "a.yaml"], ["validate", "--nope", "a.yaml"]] {
            let r = try ws.vigie(args)
            XCTAssertEqual(r.exitCode, 64, args.joined(separator: " "))
            XCTAssertEqual(r.stdout, "", args.joined(separator: " "))
            XCTAssertFalse(r.stderr.isEmpty, args.joined(separator: " "))
        }
        let dup = try ws.vigie(["validate", "a.yaml", "a.yaml"])
        XCTAssertEqual(dup.exitCode, 0, dup.stdout)
    }

    /// `--events`: blank lines and CRLF ignored, a leading BOM skipped, offsets and fractional seconds read;
    /// a broken line is an error naming its line; a missing file is a usage error.
    func testEventFileEdgeCases() throws {
        try ws.write("rules.yaml", Self.good.replacingOccurrences(of: "[{horn: on}]", with: "[{notify: \"{{battery.level}}\"}]"))
        let lines = "\u{FEFF}" + W.set("2026-03-02T10:00:00.250+02:00", "V1", #""battery.level": 18"#) + "\r\n\r\n   \n"
            + W.set("2026-03-02T08:00:01.5Z", "V1", #""battery.level": 30"#) + "\r\n"
            + W.set("2026-03-02t08:00:02z", "V1", #""battery.level": 10"#) + "\n"
        try ws.write("events.jsonl", lines)
        let r = try ws.vigie(["dry-run", "rules.yaml", "--events", "events.jsonl", "--format", "json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, [
            W.fired("2026-03-02T08:00:00.250Z", bundle: "crlf", rule: "r", actions: [W.notify("18")]),
            W.fired("2026-03-02T08:00:02Z", bundle: "crlf", rule: "r", actions: [W.notify("10")]),
        ].joined(separator: "\n") + "\n")

        try ws.write("bad.jsonl", W.set("2026-03-02T10:00:00Z", "V1", #""battery.level": 18"#) + "\n\n"
                     + "# a comment\n" + W.set("2026-03-02T09:00:00Z", "V1", #""battery.level": 18"#) + "\n")
        let bad = try ws.vigie(["dry-run", "rules.yaml", "--events", "bad.jsonl"])
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:3: error:"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("bad.jsonl:4: error: `at` goes backwards"), bad.stderr)

        for args in [["dry-run", "rules.yaml"], ["dry-run", "rules.yaml", "--events", "missing.jsonl"],
                     ["dry-run", "missing.yaml", "--events", "events.jsonl"],
                     ["dry-run", "rules.yaml", "--events", "events.jsonl", "--format", "yaml"],
                     ["dry-run", "rules.yaml", "--events", "events.jsonl", "--until", "tomorrow"],
                     ["dry-run", "rules.yaml", "--events", "events.jsonl", "--inventory", "missing-inventory.yaml"]] {
            let u = try ws.vigie(args)
            XCTAssertEqual(u.exitCode, 64, args.joined(separator: " ") + u.stderr)
            XCTAssertEqual(u.stdout, "", args.joined(separator: " "))
        }
        // Rule errors: exit 1, diagnostics on stderr rendered like validate, no decisions on stdout.
        try ws.write("broken.yaml", Self.good.replacingOccurrences(of: "battery.level", with: "battery.levl"))
        let broken = try ws.vigie(["dry-run", "broken.yaml", "--events", "events.jsonl", "--format", "json"])
        XCTAssertEqual(broken.exitCode, 1)
        XCTAssertEqual(broken.stdout, "")
        XCTAssertTrue(broken.stderr.hasPrefix("broken.yaml:5:11: error[unknown-field]:"), broken.stderr)
    }
}
