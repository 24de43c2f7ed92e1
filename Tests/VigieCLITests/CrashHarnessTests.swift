import Foundation
import VigieTestSupport
import XCTest

/// Issue 7, item 2, and issue 15's constraint, short version: `scripts/crash-test.py` runs
/// `vigie sim --ledger` and `vigie serve` as processes, SIGKILLs serve at seeded random
/// moments while notifications, decisions and remotes flow — once with
/// `engine.reorder_window: 0`, once with a 2 s window and kill gaps beyond it, so both
/// runs decide between kills — and checks the inbox against the simulator's ledger,
/// `PRAGMA integrity_check`, that no remote was POSTed twice and that no (vehicle, rule,
/// instant) was decided twice (docs/crash-testing.md). The long run is the script's
/// `--kills N`.
final class CrashHarnessTests: XCTestCase {
    func testServeSurvivesKillsWithoutLosingOrRepeatingAnything() throws {
        let result = try Self.runHarness(["--kills", "4", "--vehicles", "5", "--seed", "3"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        for mode in ["no-window", "beyond-window"] {
            XCTAssertTrue(result.stdout.contains("mode \(mode) passed"), result.stdout)
        }
        XCTAssertEqual(Self.lines(result.stdout, "kills survived: 4").count, 2, result.stdout)
        XCTAssertEqual(Self.lines(result.stdout, "integrity_check: ok").count, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("crash test passed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("FAIL"), result.stdout)
        // "decisions checked: N (F fired, T without a notification: timers, polls), B recorded before the last kill, 0 decided twice"
        let decisions = Self.lines(result.stdout, "decisions checked:")
        XCTAssertEqual(decisions.count, 2, result.stdout)
        for line in decisions {
            let numbers = Self.numbers(line)
            XCTAssertEqual(numbers.count, 5, line)
            XCTAssertGreaterThan(numbers[3], 0, "decisions were made between kills: \(line)")
            XCTAssertEqual(numbers[4], 0, line)
        }
        // "remotes checked: P POSTed, A remote actions in the database, S sent before the last kill"
        for line in Self.lines(result.stdout, "remotes checked:") {
            XCTAssertGreaterThan(Self.numbers(line)[2], 0, "commands were sent between kills: \(line)")
        }
    }

    /// The harness is not a rubber stamp: a database where one (vehicle, rule, instant)
    /// was decided twice is reported and fails the run.
    func testADoubleDecisionFailsTheCheck() throws {
        let python = try Self.python()
        let script = SharedFiles.repositoryRoot.appendingPathComponent("scripts/crash-test.py")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-crash-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // A real outcome database: `vigie dry-run --db` records one fired decision.
        try """
            vigie: 1
            bundle: crash-test
            rules:
              - id: low
                when: battery.level < 20 %
                then:
                  - notify: "{{vin}} low"
            """.write(to: work.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        try #"{"at": "2026-12-09T05:50:00Z", "vin": "VIN1", "set": {"battery.level": 10}}"#
            .write(to: work.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("outcome.sqlite").path
        let dryRun = try CommandRunner.vigie(["dry-run", "rules.yaml", "--events", "events.jsonl", "--db", db], in: work)
        XCTAssertEqual(dryRun.exitCode, 0, dryRun.stderr)
        let clean = try CommandRunner.run(URL(fileURLWithPath: python), [script.path, "--check-decisions", db],
                                          in: SharedFiles.repositoryRoot)
        XCTAssertEqual(clean.exitCode, 0, clean.stdout + clean.stderr)
        XCTAssertTrue(clean.stdout.contains("decisions checked: 1 (1 fired, 1 without a notification: timers, polls), 0 recorded before the last kill, 0 decided twice"),
                      clean.stdout)
        // The same decision recorded again, from one notification twice.
        let copy = try CommandRunner.run(URL(fileURLWithPath: python), ["-c", """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            con.execute("UPDATE firing SET inboxId = 7")
            con.execute("INSERT INTO firing (at, vin, bundle, rule, event, reason, actions, inboxId, recordedAt) "
                        "SELECT at, vin, bundle, rule, event, reason, actions, inboxId, recordedAt FROM firing")
            con.commit()
            """, db], in: work)
        XCTAssertEqual(copy.exitCode, 0, copy.stderr)
        let twice = try CommandRunner.run(URL(fileURLWithPath: python), [script.path, "--check-decisions", db],
                                          in: SharedFiles.repositoryRoot)
        XCTAssertEqual(twice.exitCode, 1, twice.stdout + twice.stderr)
        XCTAssertTrue(twice.stdout.contains("FAIL: vehicle VIN1: crash-test/low decided 2 times at 2026-12-09 05:50:00.000"),
                      twice.stdout)
        XCTAssertTrue(twice.stdout.contains("FAIL: vehicle VIN1: inbox row 7 made 2 decisions of crash-test/low"), twice.stdout)
    }

    static func python() throws -> String {
        // python3 is part of the machine (docs/crash-testing.md): its absence fails the test.
        try XCTUnwrap(["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) },
                      "python3 is needed to run scripts/crash-test.py")
    }

    static func runHarness(_ arguments: [String]) throws -> CommandResult {
        let script = SharedFiles.repositoryRoot.appendingPathComponent("scripts/crash-test.py")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        return try CommandRunner.run(URL(fileURLWithPath: try python()),
                                     [script.path, "--vigie", CommandRunner.vigieBinary.path, "--workdir", work.path] + arguments,
                                     in: SharedFiles.repositoryRoot)
    }

    static func lines(_ text: String, _ prefix: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
    }

    static func numbers(_ line: String) -> [Int] {
        line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }
}
