import Foundation
import OutcomeStore
import VigieTestSupport
import XCTest

/// `vigie send VIN ACTION` end to end: the built binary over the database of a serve, as
/// an operator runs it; then `vigie log` shows the manual command and who asked.
final class SendCommandTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var db = ""
    private let vin = "VR3ABCDE123456789"

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-send")
        db = folder.path("vigie.sqlite")
        // The serve knows the vehicle: it has engine state for it.
        try OutcomeDatabase(path: db).commit(DecisionCommit(scope: "serve", vehicleStates: [vin: Data("{}".utf8)]))
    }

    override func tearDown() {
        folder?.remove()
    }

    private func vigie(_ args: [String]) throws -> CommandResult {
        try CommandRunner.vigie(args)
    }

    func testQueuesTheCommandAsManualWithWhoAskedAndLogShowsIt() throws {
        let sent = try vigie(["send", vin, "charge:start", "--db", db])
        XCTAssertEqual(sent.exitCode, 0, sent.stderr)
        XCTAssertTrue(sent.stdout.hasPrefix("queued: charge: start for \(vin) (decision 1, asked by "), sent.stdout)
        let store = try OutcomeDatabase(path: db)
        let items = try store.nextDispatchItems(at: Date().addingTimeInterval(60), limit: 10)
        XCTAssertEqual(items.map(\.bundle), ["manual"])
        XCTAssertEqual(items.map(\.rule), ["charge"])
        XCTAssertEqual(items.map(\.body), ["{\"charging\":{\"immediate\":true}}"])
        let user = SendCommandTests.osUser()
        XCTAssertEqual(try store.manualCommands(firingIds: [items[0].firingId])[items[0].firingId]?.requestedBy, user)

        let log = try vigie(["log", "--db", db])
        XCTAssertEqual(log.exitCode, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains("  \(vin)  manual/charge  fired (charge: start, asked by \(user) via cli)\n"
                                          + "  remote {\"charging\":{\"immediate\":true}}  queued\n"), log.stdout)
        let json = try vigie(["log", "--db", db, "--format", "json"])
        XCTAssertTrue(json.stdout.contains("\"manual\":{\"action\":\"charge: start\",\"requestedBy\":\"\(user)\",\"via\":\"cli\"}"),
                      json.stdout)
    }

    func testAPauseIsNotedAndTheCommandWaits() throws {
        XCTAssertEqual(try vigie(["pause", "--db", db, "--vin", vin]).exitCode, 0)
        let sent = try vigie(["send", vin, "doors: lock", "--db", db])
        XCTAssertEqual(sent.exitCode, 0, sent.stderr)
        XCTAssertEqual(sent.stderr, "note: paused: vin \(vin); the command waits until it is lifted\n")
    }

    func testUnlockNeedsTheExplicitOptIn() throws {
        let refused = try vigie(["send", vin, "doors: unlock", "--db", db])
        XCTAssertEqual(refused.exitCode, 64)
        XCTAssertEqual(refused.stderr, """
            action:1:1: error[sensitive-action]: `doors: unlock` opens the car to others; it needs an explicit opt-in
            doors: unlock
            ^^^^^^^^^^^^^
            note: pass --allow-unlock to send it anyway (see docs/safety.md)
            usage: see `vigie send --help`

            """)
        XCTAssertEqual(try OutcomeDatabase(path: db).decisionCount(), 0, "nothing queued")
        let allowed = try vigie(["send", vin, "doors: unlock", "--allow-unlock", "--db", db])
        XCTAssertEqual(allowed.exitCode, 0, allowed.stderr)
        XCTAssertEqual(try OutcomeDatabase(path: db).nextDispatchItems(at: Date().addingTimeInterval(60), limit: 1)
                        .map(\.body), ["{\"door\":{\"state\":\"Unlocked\"}}"])
    }

    func testBadActionsAreUsageErrorsAtTheirColumn() throws {
        let typo = try vigie(["send", vin, "charge:strat", "--db", db])
        XCTAssertEqual(typo.exitCode, 64)
        XCTAssertTrue(typo.stderr.hasPrefix("""
            action:1:8: error[bad-action]: `charge` takes `start` or `stop`, not `strat`
            charge:strat
                   ^^^^^
            """), typo.stderr)
        let time = try vigie(["send", vin, "charge: {at: \"25:00\"}", "--db", db])
        XCTAssertEqual(time.exitCode, 64)
        XCTAssertTrue(time.stderr.hasPrefix("action:1:14: error[bad-time]: "), time.stderr)
        let unknown = try vigie(["send", vin, "honk: on", "--db", db])
        XCTAssertEqual(unknown.exitCode, 64)
        XCTAssertTrue(unknown.stderr.hasPrefix("action:1:1: error["), unknown.stderr)
        let notify = try vigie(["send", vin, "notify: hello", "--db", db])
        XCTAssertEqual(notify.exitCode, 64)
        XCTAssertTrue(notify.stderr.contains("`notify` cannot be sent by hand"), notify.stderr)
        XCTAssertEqual(try OutcomeDatabase(path: db).decisionCount(), 0, "nothing queued")
    }

    func testUnknownVehicleAndUsage() throws {
        let unknown = try vigie(["send", "VR3ZZZZZZZZZZZZZZ", "horn: on", "--db", db])
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertTrue(unknown.stderr.hasPrefix("error: unknown vehicle VR3ZZZZZZZZZZZZZZ: "), unknown.stderr)
        XCTAssertEqual(try vigie(["send", vin, "horn: on"]).exitCode, 64)
        XCTAssertEqual(try vigie(["send", vin, "horn: on", "--db", db, "--config", "x.yaml"]).exitCode, 64)
        XCTAssertEqual(try vigie(["send", "VR3 A", "horn: on", "--db", db]).exitCode, 64)
        XCTAssertEqual(try vigie(["send", vin, "horn: on", "--db", db, "--timezone", "Mars/Olympus"]).exitCode, 64)
        XCTAssertEqual(try vigie(["send", vin, "horn: on", "--db", folder.path("none.sqlite")]).exitCode, 1)
        XCTAssertEqual(try OutcomeDatabase(path: db).decisionCount(), 0, "nothing queued")
    }

    /// The user this test runs as (what `vigie send` records).
    static func osUser() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid \(geteuid())" }
        return String(cString: name)
    }
}
