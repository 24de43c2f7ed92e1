import Foundation
import VigieTestSupport
import XCTest

/// `vigie dry-run` end to end: the built binary, stdout, stderr and exit codes.
final class DryRunCommandTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-dryrun")
        try folder.write("rules.yaml", """
            vigie: 1
            bundle: demo
            vehicles:
              - tag: paris
            rules:
              - id: low
                when: battery.level < 20 % and charging.plugged
                for: 5m
                then:
                  - charge: start
                  - notify: "{{vin}} at {{battery.level}} %"
            """)
        try folder.write("inventory.yaml", "vehicles:\n  - { vin: V1, tags: [paris] }\n")
        try folder.write("events.jsonl", """
            {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": 18, "charging.plugged": true}}
            {"at": "2026-03-02T08:01:00Z", "vin": "V2", "set": {"battery.level": 18, "charging.plugged": true}}

            """)
    }

    override func tearDownWithError() throws {
        folder?.remove()
    }

    func run(_ args: [String]) throws -> CommandResult {
        try folder.vigie(["dry-run"] + args)
    }

    func testJSONLinesWithInventoryAndUntil() throws {
        let r = try run(["rules.yaml", "--events", "events.jsonl", "--inventory", "inventory.yaml",
                         "--until", "2026-03-02T09:00:00Z", "--format", "json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, #"{"actions": [{"remote": {"charging": {"immediate": true}}}, {"notify": "V1 at 18 %"}], "at": "2026-03-02T08:05:00Z", "bundle": "demo", "event": "fired", "reason": null, "rule": "low", "vin": "V1"}"# + "\n")
    }

    func testWithoutInventoryTagSelectorsMatchNothingWithAWarning() throws {
        let r = try run(["rules.yaml", "--events", "events.jsonl", "--until", "2026-03-02T09:00:00Z"])
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertTrue(r.stderr.contains("tag"), r.stderr)
        XCTAssertEqual(r.stdout, "0 decisions (0 fired, 0 suppressed) from 2 events\n")
    }

    func testTextTimelineAndExplain() throws {
        let r = try run(["rules.yaml", "--events", "events.jsonl", "--inventory", "inventory.yaml",
                         "--until", "2026-03-02T09:00:00Z", "--explain", "low"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("explain 2026-03-02T08:00:00Z  V1  demo/low  (observation, was armed): true"), r.stdout)
        XCTAssertTrue(r.stdout.contains("battery.level < 20  [battery.level = 18] → true"), r.stdout)
        XCTAssertTrue(r.stdout.contains("explain 2026-03-02T08:05:00Z  V1  demo/low  (for, was pending): true"), r.stdout)
        XCTAssertTrue(r.stdout.contains("2026-03-02T08:05:00Z  V1  demo/low  fired  remote {\"charging\": {\"immediate\": true}}; notify \"V1 at 18 %\""), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("1 decision (1 fired, 0 suppressed) from 2 events\n"), r.stdout)
    }

    func testBrokenEventsFileNamesTheLine() throws {
        try folder.write("bad.jsonl", """
            {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": 18}}
            {"at": "2026-03-02T08:01:00Z", "vin": "V1", "set": {"battery.lvl": 18}}
            {"at": "2026-03-02T07:00:00Z", "vin": "V1", "set": {"battery.level": 18}}
            {"at": "yesterday", "vin": "V1", "set": {}}
            {"at": "2026-03-02T09:00:00Z", "vin": "V1", "set": {}, "colour": 1}
            {"at": "2026-03-02T09:00:00Z", "vin": "V1", "set": {"battery.level": true}}
            {not json
            """)
        let r = try run(["rules.yaml", "--events", "bad.jsonl"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("bad.jsonl:2: error: unknown field `battery.lvl` (did you mean `battery.level`?)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:3: error: `at` goes backwards"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:4: error: bad timestamp `yesterday`"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:5: error: unknown key `colour`"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:6: error: bad value for `battery.level`"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.jsonl:7: error: bad JSON"), r.stderr)
    }

    func testUsageErrors() throws {
        XCTAssertEqual(try run(["rules.yaml", "--events", "events.jsonl", "--until", "2026-03-02T08:00:30Z"]).exitCode, 64)
        XCTAssertEqual(try run(["rules.yaml", "--events", "events.jsonl", "--until", "soon"]).exitCode, 64)
        XCTAssertEqual(try run(["rules.yaml"]).exitCode, 64)
        XCTAssertEqual(try run(["--events", "events.jsonl"]).exitCode, 64)
        XCTAssertEqual(try run(["rules.yaml", "--events", "missing.jsonl"]).exitCode, 64)
        XCTAssertEqual(try run(["rules.yaml", "--events", "events.jsonl", "--explain", "nope"]).exitCode, 64)
        XCTAssertEqual(try run(["rules.yaml", "--events", "events.jsonl", "--format", "xml"]).exitCode, 64)
    }

    func testRuleErrorsAreRenderedLikeValidate() throws {
        try folder.write("broken.yaml", "vigie: 1\nbundle: b\nrules:\n  - id: r\n    when: battery.lvl < 20\n    then: [{ horn: on }]\n")
        let r = try run(["broken.yaml", "--events", "events.jsonl"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("broken.yaml:5:11: error"), r.stderr)
    }

    func testDatabaseResumeMakesTheDecisionsOfAnUninterruptedRun() throws {
        try folder.write("r.yaml", """
            vigie: 1
            bundle: demo
            rules:
              - id: low
                when: battery.level < 20 %
                for: 5m
                repeat: 10m
                cooldown: 15m
                then: [{ notify: "{{vin}} {{battery.level}}" }]
            """)
        let lines = (0..<12).map { i in
            #"{"at": "2026-03-02T08:\#(String(format: "%02d", i * 4)):00Z", "vin": "V\#(i % 2)", "set": {"battery.level": \#([10, 12, 30, 15, 9, 40][i % 6])}}"#
        }
        try folder.write("all.jsonl", lines.joined(separator: "\n") + "\n")
        let whole = try run(["r.yaml", "--events", "all.jsonl", "--format", "json", "--until", "2026-03-02T09:30:00Z"])
        XCTAssertEqual(whole.exitCode, 0, whole.stderr)
        XCTAssertFalse(whole.stdout.isEmpty)
        for cut in [1, 5, 8] {
            try folder.write("part.jsonl", lines[..<cut].joined(separator: "\n") + "\n")
            let db = "state-\(cut).sqlite"
            let first = try run(["r.yaml", "--events", "part.jsonl", "--format", "json", "--db", db])
            let second = try run(["r.yaml", "--events", "all.jsonl", "--format", "json", "--db", db,
                                  "--until", "2026-03-02T09:30:00Z"])
            XCTAssertEqual(first.exitCode, 0, first.stderr)
            XCTAssertEqual(second.exitCode, 0, second.stderr)
            XCTAssertEqual(first.stdout + second.stdout, whole.stdout, "cut after \(cut) lines")
        }
    }
}
