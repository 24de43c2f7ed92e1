import Foundation
import OutcomeStore
import VigieTestSupport
import XCTest

/// `vigie pause` / `vigie resume` / `vigie pause --list` end to end: the built binary over
/// a database file, as an operator runs them beside `vigie serve`.
final class PauseCommandTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var db = ""

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-pause")
        db = folder.path("vigie.sqlite")
        _ = try OutcomeDatabase(path: db)
    }

    override func tearDown() {
        folder?.remove()
    }

    private func vigie(_ args: [String]) throws -> CommandResult {
        try CommandRunner.vigie(args)
    }

    func testPauseListAndResumeByScope() throws {
        let all = try vigie(["pause", "--db", db, "--reason", "garage visit"])
        XCTAssertEqual(all.exitCode, 0, all.stderr)
        XCTAssertEqual(all.stdout, "paused: all vehicles\n")
        XCTAssertEqual(try vigie(["pause", "--db", db, "--vin", "VR3A", "--bundle", "ev"]).stdout, "paused: vin VR3A, bundle ev\n")
        let again = try vigie(["pause", "--db", db])
        XCTAssertEqual(again.exitCode, 0)
        XCTAssertTrue(again.stdout.hasPrefix("already paused: all vehicles (since "), again.stdout)

        let list = try vigie(["pause", "--list", "--db", db])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("pause  all vehicles         since "), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("  garage visit"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("pause  vin VR3A, bundle ev  since "), lines[1])
        XCTAssertEqual(lines[2], "2 holds")

        // --vin lifts that vehicle's pause, not the pause of every vehicle (a note says so).
        let vin = try vigie(["resume", "--db", db, "--vin", "VR3A"])
        XCTAssertEqual(vin.exitCode, 0, vin.stderr)
        XCTAssertEqual(vin.stdout, "resumed: pause on vin VR3A, bundle ev\n")
        XCTAssertEqual(vin.stderr, "note: still held: pause on all vehicles (resume it with its own scope)\n")
        let none = try vigie(["resume", "--db", db, "--vin", "VR3A"])
        XCTAssertEqual(none.exitCode, 1)
        XCTAssertTrue(none.stderr.hasPrefix("error: nothing to resume for vin VR3A\n"), none.stderr)

        let rest = try vigie(["resume", "--db", db])
        XCTAssertEqual(rest.exitCode, 0, rest.stderr)
        XCTAssertEqual(rest.stdout, "resumed: pause on all vehicles\n")
        XCTAssertEqual(try vigie(["pause", "--list", "--db", db]).stdout, "nothing held\n")

        let journal = try OutcomeDatabase(path: db).controlEvents().map(\.kind)
        XCTAssertEqual(journal, [.paused, .paused, .resumed, .resumed])
    }

    func testListShowsLoopStopsAndFlappingAsJSONLinesAndResumeByRule() throws {
        let store = try OutcomeDatabase(path: db)
        let t = try XCTUnwrap(Timestamp.parse("2026-03-02T22:00:00Z"))
        try store.addHold(ControlHoldRecord(kind: .loop, vin: "VR3A", bundle: "ev", rule: "charge",
                                            reason: "fired more than 6 times within 1 h", createdAt: t))
        try store.recordControlEvent(ControlEventRecord(at: t, kind: .flapStarted, vin: "VR3B", bundle: "ev",
                                                        rule: "plug", detail: "5 rises within 10 min (limit 4): firings held back"))
        let list = try vigie(["pause", "--list", "--db", db, "--format", "json"])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(list.stdout, """
            {"bundle":"ev","kind":"loop","reason":"fired more than 6 times within 1 h","rule":"charge","since":"2026-03-02T22:00:00Z","vin":"VR3A"}
            {"bundle":"ev","kind":"flapping","reason":"5 rises within 10 min (limit 4): firings held back","rule":"plug","since":"2026-03-02T22:00:00Z","vin":"VR3B"}

            """)
        XCTAssertEqual(try vigie(["pause", "--list", "--db", db, "--vin", "VR3B"]).stdout.split(separator: "\n").count, 2)

        let wrongRule = try vigie(["resume", "--db", db, "--rule", "ev/other"])
        XCTAssertEqual(wrongRule.exitCode, 1)
        let resumed = try vigie(["resume", "--db", db, "--vin", "VR3A", "--rule", "ev/charge"])
        XCTAssertEqual(resumed.exitCode, 0, resumed.stderr)
        XCTAssertEqual(resumed.stdout, "resumed: loop on vin VR3A, rule ev/charge\n")
        XCTAssertEqual(try store.activeHolds(), [])
    }

    func testConfigNamesTheDatabaseWithoutNeedingItsSecrets() throws {
        let config = try folder.write("vigie.yaml", """
            api:
              client_id: my-client
              client_secret: {env: VIGIE_CLIENT_SECRET_NOT_SET_HERE}
              brand: peugeot
              token_store: tokens.json
            callback:
              public_url: https://vigie.example.com
              webhook_secret: {env: VIGIE_WEBHOOK_SECRET_NOT_SET_HERE}
            rules: [rules]
            database: vigie.sqlite

            """)
        let paused = try vigie(["pause", "--config", config.path, "--bundle", "ev"])
        XCTAssertEqual(paused.exitCode, 0, paused.stderr)
        XCTAssertEqual(try OutcomeDatabase(path: db).activeHolds().map(\.bundle), ["ev"])
        XCTAssertEqual(try vigie(["resume", "--config", config.path, "--bundle", "ev"]).exitCode, 0)

        let broken = try folder.write("broken.yaml", "database: [unclosed\n")
        let refused = try vigie(["pause", "--config", broken.path])
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("broken.yaml"), refused.stderr)
    }

    func testUsageErrorsExit64AndAMissingDatabaseExits1() throws {
        let cases: [[String]] = [
            ["pause"],
            ["pause", "--db", db, "--config", "x.yaml"],
            ["pause", "--db", db, "--list", "--reason", "why"],
            ["pause", "--db", db, "--vin", ""],
            ["resume", "--db", db, "--rule", "no-slash"],
            ["resume", "--db", db, "--rule", "ev/"],
            ["resume", "--db", db, "--bundle", "other", "--rule", "ev/r"],
            ["pause", "--db", db, "--format", "yaml", "--list"],
        ]
        for args in cases {
            let result = try vigie(args)
            XCTAssertEqual(result.exitCode, 64, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.lowercased().contains("error"), "\(args): \(result.stderr)")
        }
        let missing = try vigie(["pause", "--db", folder.path("typo.sqlite")])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("no such database"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("typo.sqlite")),
                       "a mistyped path never becomes a new database")
    }
}
