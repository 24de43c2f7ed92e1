import Foundation
import OutcomeStore
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie log` end to end: the built binary over a database the store wrote.
final class LogCommandTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var path = ""

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-log")
        path = folder.path("outcomes.sqlite")
        let store = try OutcomeDatabase(path: path)
        let t0 = try XCTUnwrap(Timestamp.parse("2026-03-02T22:00:00Z"))
        let charge: JSONValue = .object(["charging": .object(["immediate": .bool(true)])])
        try store.commit(DecisionCommit(scope: "serve", decisions: [
            DecisionRecord(at: t0, vin: "VA", bundle: "ev", rule: "low", event: .fired,
                           actions: [.remote(charge), .notify("VA: battery at 18 %")]),
            DecisionRecord(at: t0.addingTimeInterval(600), vin: "VB", bundle: "ev", rule: "fast", event: .fired,
                           actions: [.notify("VB too fast")]),
            DecisionRecord(at: t0.addingTimeInterval(1800), vin: "VA", bundle: "ev", rule: "low", event: .suppressed,
                           reason: "cooldown", actions: []),
        ]))
        // The command goes out and succeeds, through the dispatch API `vigie serve` uses.
        let sent = t0.addingTimeInterval(5), noRetry: DispatchRetryRule = { _, _ in nil }
        let item = try XCTUnwrap(store.nextDispatchItems(at: sent).first)
        _ = try store.beginAttempt(outboxId: item.outboxId, at: sent)
        _ = try store.recordDispatchAccepted(actionId: item.actionId, remoteActionId: "ra-1", httpStatus: nil, at: sent,
                                             retry: noRetry)
        let done = DispatchRemoteEvent(remoteActionId: "ra-1", type: "Done", status: "Success")
        _ = try store.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve"), remoteEvents: [done]),
                                         at: sent.addingTimeInterval(20), retry: noRetry)
    }

    override func tearDown() {
        folder?.remove()
    }

    func testTextTimelineWithOutcomes() throws {
        let result = try CommandRunner.vigie(["log", "--db", path])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, """
            2026-03-02T22:00:00Z  VA  ev/low  fired
              remote {"charging":{"immediate":true}}  succeeded (1 attempt, remoteActionId ra-1)
              notify "VA: battery at 18 %"
            2026-03-02T22:10:00Z  VB  ev/fast  fired
              notify "VB too fast"
            2026-03-02T22:30:00Z  VA  ev/low  suppressed (cooldown)
            3 decisions (2 fired, 1 suppressed)

            """)
    }

    func testJSONLinesKeepTheDryRunKeysAndFilter() throws {
        let result = try CommandRunner.vigie(["log", "--db", path, "--format", "json", "--vin", "VA",
                                              "--since", "2026-03-02T23:05:00+01:00"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertEqual(result.stdout, #"{"actions":[],"at":"2026-03-02T22:30:00Z","bundle":"ev","event":"suppressed","#
            + #""id":3,"outcomes":[],"reason":"cooldown","rule":"low","vin":"VA"}"# + "\n")
        let byRule = try CommandRunner.vigie(["log", "--db", path, "--format", "json", "--rule", "fast"])
        let line = try XCTUnwrap(byRule.stdout.split(separator: "\n").first)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["vin"] as? String, "VB")
        XCTAssertEqual((object["outcomes"] as? [[String: Any]])?.first?["status"] as? String, "notified")
    }

    func testErrorsAndExitCodes() throws {
        let missing = try CommandRunner.vigie(["log", "--db", path + ".nope"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("no such database"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".nope"))
        let badSince = try CommandRunner.vigie(["log", "--db", path, "--since", "yesterday"])
        XCTAssertEqual(badSince.exitCode, 64)
        XCTAssertTrue(badSince.stderr.contains("--since 'yesterday'"), badSince.stderr)
        let noDB = try CommandRunner.vigie(["log"])
        XCTAssertEqual(noDB.exitCode, 64)
        let empty = try CommandRunner.vigie(["log", "--db", path, "--vin", "NOBODY"])
        XCTAssertEqual(empty.exitCode, 0)
        XCTAssertEqual(empty.stdout, "no decisions\n")
    }

    func testTimeArguments() throws {
        let now = try XCTUnwrap(Timestamp.parse("2026-03-02T12:00:00Z"))
        XCTAssertEqual(LogTimeArgument.parse("2h", now: now), now.addingTimeInterval(-7200))
        XCTAssertEqual(LogTimeArgument.parse("30m", now: now), now.addingTimeInterval(-1800))
        XCTAssertEqual(LogTimeArgument.parse("7d", now: now), now.addingTimeInterval(-7 * 86_400))
        XCTAssertEqual(LogTimeArgument.parse("90s", now: now), now.addingTimeInterval(-90))
        XCTAssertEqual(LogTimeArgument.parse("2026-03-01", now: now), Timestamp.parse("2026-03-01T00:00:00Z"))
        XCTAssertEqual(LogTimeArgument.parse("2026-03-01T10:00:00+02:00", now: now), Timestamp.parse("2026-03-01T08:00:00Z"))
        for bad in ["", "h", "-2h", "2w", "2026-3-1", "1e3s", "soon"] {
            XCTAssertNil(LogTimeArgument.parse(bad, now: now), bad)
        }
    }
}
