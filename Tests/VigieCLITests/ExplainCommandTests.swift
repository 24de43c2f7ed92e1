import Foundation
import OutcomeStore
import RuleEngine
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// Issue 17, item 4: `vigie explain` rebuilds why a rule did (or didn't) fire from the
/// outcome database. The database is written by the real runtime (the end-to-end stack:
/// `vigie sim`'s world, the receiver, the engine loop, the dispatcher, a manual clock);
/// explain's answer must be the block `vigie dry-run --explain` prints for the same
/// notifications, and its last decision what `vigie log` shows.
final class ExplainCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try EndToEnd.bundle.write(to: folder.appendingPathComponent("e2e.yaml"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testExplainAnswersAsDryRunExplainOverTheStoredNotifications() async throws {
        let db = folder.appendingPathComponent("e2e.sqlite").path
        let clock = ManualClock(EndToEnd.start)
        let stack = try await EndToEnd.start(database: db, clock: clock)
        let vins: [String]
        let end: Date
        do {
            try await EndToEnd.run(clock, stack, seconds: 100 * 60)
            try await EndToEnd.settle(stack, clock: clock)
            vins = stack.vehicles.map(\.vin)
            end = clock.now()
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()

        let database = try OutcomeDatabase.openExisting(path: db)
        let inbox = try database.inbox()
        let lines = Self.messageLines(inbox)
        XCTAssertGreaterThanOrEqual(lines.count, 4)
        let fired = try database.loggedDecisions().filter { $0.firing.event == "fired" }
        let charge = try XCTUnwrap(fired.first { $0.firing.rule == "low-battery-charge" })
        let departure = try XCTUnwrap(fired.first { $0.firing.rule == "departure" })
        let first = try XCTUnwrap(lines.first?.at), last = try XCTUnwrap(lines.last?.at)
        // Instants: before and at a firing, between notifications, and the last one; every
        // vehicle, both rules.
        let instants = [charge.firing.at, departure.firing.at, departure.firing.at.addingTimeInterval(-1),
                        first.addingTimeInterval(20 * 60), last].map { RFC3339.formatUTC(Timestamp.millis($0)) }
        var compared = 0
        for vin in vins {
            for rule in ["low-battery-charge", "departure"] {
                for at in instants {
                    let explained = try CommandRunner.vigie(["explain", "e2e.yaml", "--db", db, "--vin", vin, "--rule", rule,
                                                             "--at", at], in: folder)
                    XCTAssertEqual(explained.exitCode, 0, explained.stderr)
                    let expected = try dryRunExplanation(lines, vin: vin, rule: "e2e/\(rule)", until: at)
                    let block = explained.stdout.components(separatedBy: "last decision:")[0]
                    if let expected {
                        XCTAssertEqual(block, expected, "\(vin) \(rule) at \(at)")
                        compared += 1
                    } else {
                        XCTAssertTrue(block.contains("never evaluated"), explained.stdout)
                    }
                    // The last decision is `vigie log`'s.
                    let logged = try CommandRunner.vigie(["log", "--db", db, "--vin", vin, "--rule", rule, "--until",
                                                          RFC3339.formatUTC(RFC3339.parse(at)! + 1), "--limit", "1"])
                    XCTAssertEqual(logged.exitCode, 0, logged.stderr)
                    if logged.stdout.hasPrefix("no decisions") {
                        XCTAssertTrue(explained.stdout.contains("last decision: none at or before \(at)"), explained.stdout)
                    } else {
                        let line = logged.stdout.split(separator: "\n").dropLast().joined(separator: "\n")
                        XCTAssertTrue(explained.stdout.contains("last decision: " + line + "\n"), explained.stdout + "\n" + line)
                    }
                    XCTAssertTrue(explained.stdout.contains("from the start of the inbox"), explained.stdout)
                }
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 12, "most (vehicle, rule, instant) were evaluated")

        // The charge: true when it fired, with its values.
        let at = RFC3339.formatUTC(Timestamp.millis(charge.firing.at))
        let json = try CommandRunner.vigie(["explain", "e2e.yaml", "--db", db, "--vin", charge.firing.vin,
                                            "--rule", "e2e/low-battery-charge", "--at", at, "--format", "json"], in: folder)
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["vin"] as? String, charge.firing.vin)
        XCTAssertEqual(object["bundle"] as? String, "e2e")
        XCTAssertEqual(object["rule"] as? String, "low-battery-charge")
        XCTAssertEqual(object["at"] as? String, at)
        let explanation = try XCTUnwrap(object["explanation"] as? [String: Any])
        XCTAssertEqual(explanation["truth"] as? String, "true")
        XCTAssertEqual(explanation["phase"] as? String, "armed")
        let treeLines = try XCTUnwrap(explanation["lines"] as? [[String: Any]])
        XCTAssertTrue(treeLines.contains { ($0["text"] as? String)?.hasPrefix("battery.level < 20  [battery.level = ") == true },
                      "\(treeLines)")
        let lastDecision = try XCTUnwrap(object["lastDecision"] as? [String: Any])
        XCTAssertEqual(lastDecision["event"] as? String, "fired")
        XCTAssertEqual((object["replay"] as? [String: Any])?["from"] as? String, "start")
        XCTAssertTrue(json.stdout.hasSuffix("}\n") && json.stdout.split(separator: "\n").count == 1, json.stdout)

        // A notification stored after serve stopped (not yet observed): explain restores
        // serve's checkpoint and replays only it — the same answer as a dry run of all.
        let vin = charge.firing.vin
        let later = max(last, end).addingTimeInterval(60)
        let body = try Self.copy(of: XCTUnwrap(inbox.last { $0.vin == vin && $0.body.contains("monitorEvent") }), at: later)
        _ = try await database.receive(IntakeBatch(notifications: [
            .init(dedupKey: "explain-test-\(UUID().uuidString)", vin: vin, type: "Monitor",
                  eventDate: RFC3339.formatUTC(Timestamp.millis(later)), body: body),
        ]), at: later)
        let all = Self.messageLines(try database.inbox())
        let laterText = RFC3339.formatUTC(Timestamp.millis(later))
        for rule in ["low-battery-charge", "departure"] {
            let restored = try CommandRunner.vigie(["explain", "e2e.yaml", "--db", db, "--vin", vin, "--rule", rule,
                                                    "--at", laterText], in: folder)
            XCTAssertEqual(restored.exitCode, 0, restored.stderr)
            XCTAssertTrue(restored.stdout.contains("replayed 1 notification up to \(laterText) from the engine checkpoint of"),
                          restored.stdout)
            let expected = try XCTUnwrap(try dryRunExplanation(all, vin: vin, rule: "e2e/\(rule)", until: laterText))
            XCTAssertEqual(restored.stdout.components(separatedBy: "last decision:")[0], expected)
        }
    }

    /// Mistakes get a clear message and exit code; the database is never created.
    func testErrorsSayWhatIsWrong() async throws {
        let db = folder.appendingPathComponent("outcome.sqlite").path
        let database = try OutcomeDatabase(path: db)
        let vin = "VR3UHZKXZLT000001"
        let date = "2026-11-23T07:00:00Z"
        let body = #"{"attributes":[{"key":"vin","value":"\#(vin)"}],"callbackId":"cb-1","date":"\#(date)","#
            + #""monitorEvent":{"extensions":[],"monitorId":"mon-1","refresh":false,"values":[{"data":"vehicle.energy.electric.level","#
            + #""value":{"body":{"literalValue":"12"},"type":"string"}}]},"type":"Monitor"}"#
        _ = try await database.receive(IntakeBatch(notifications: [
            .init(dedupKey: "k1", vin: vin, type: "Monitor", eventDate: date, body: body),
        ]), at: RFC3339.parse(date).map { Date(timeIntervalSince1970: Double($0) / 1000) }!)

        func explain(_ args: [String]) throws -> CommandResult {
            try CommandRunner.vigie(["explain", "e2e.yaml", "--db", db] + args, in: folder)
        }
        let ok = try explain(["--vin", vin, "--rule", "low-battery-charge", "--at", "2026-11-23T08:00:00Z"])
        XCTAssertEqual(ok.exitCode, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.hasPrefix("explain 2026-11-23T07:00:00Z  \(vin)  e2e/low-battery-charge  (observation, was armed): "),
                      ok.stdout)
        XCTAssertTrue(ok.stdout.contains("battery.level < 20  [battery.level = 12] → true"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("last decision: none at or before 2026-11-23T08:00:00Z"), ok.stdout)
        // Before the notification: never evaluated.
        let before = try explain(["--vin", vin, "--rule", "low-battery-charge", "--at", "2026-11-23T06:00:00Z"])
        XCTAssertEqual(before.exitCode, 0, before.stderr)
        XCTAssertTrue(before.stdout.contains("never evaluated"), before.stdout)

        let typoVin = try explain(["--vin", "VR3UHZKXZLT000002", "--rule", "departure"])
        XCTAssertEqual(typoVin.exitCode, 1)
        XCTAssertTrue(typoVin.stderr.contains("--vin VR3UHZKXZLT000002: no notification nor decision of this vehicle"), typoVin.stderr)
        XCTAssertTrue(typoVin.stderr.contains("did you mean \(vin)?"), typoVin.stderr)

        let typoRule = try explain(["--vin", vin, "--rule", "departur"])
        XCTAssertEqual(typoRule.exitCode, 1)
        XCTAssertTrue(typoRule.stderr.contains("--rule departur: no such rule (write RULE or BUNDLE/RULE); did you mean `departure`?"),
                      typoRule.stderr)

        let badAt = try explain(["--vin", vin, "--rule", "departure", "--at", "yesterday"])
        XCTAssertEqual(badAt.exitCode, 64)
        XCTAssertTrue(badAt.stderr.contains("error: --at 'yesterday': expected an RFC 3339 instant"), badAt.stderr)

        let missing = folder.appendingPathComponent("missing.sqlite").path
        let noDb = try CommandRunner.vigie(["explain", "e2e.yaml", "--db", missing, "--vin", vin, "--rule", "departure"], in: folder)
        XCTAssertEqual(noDb.exitCode, 1)
        XCTAssertTrue(noDb.stderr.contains(missing), noDb.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing), "explain never creates a database")

        let noRules = try CommandRunner.vigie(["explain", "--db", db, "--vin", vin, "--rule", "departure"], in: folder)
        XCTAssertEqual(noRules.exitCode, 64)
        XCTAssertTrue(noRules.stderr.contains("give --config vigie.yaml or rule files"), noRules.stderr)

        let noVin = try CommandRunner.vigie(["explain", "e2e.yaml", "--db", db, "--rule", "departure"], in: folder)
        XCTAssertEqual(noVin.exitCode, 64, noVin.stderr)
    }

    // MARK: helpers

    /// The last `explain` block `vigie dry-run --explain RULE` prints for `vin`, over the
    /// lines up to `until` (nil: the rule was never evaluated for the vehicle).
    private func dryRunExplanation(_ lines: [(at: Date, text: String)], vin: String, rule: String, until: String) throws -> String? {
        let cut = Date(timeIntervalSince1970: Double(RFC3339.parse(until)!) / 1000)
        let events = folder.appendingPathComponent("events-\(UUID().uuidString).jsonl")
        try lines.filter { $0.at <= cut }.map { $0.text + "\n" }.joined().write(to: events, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: events) }
        let result = try CommandRunner.vigie(["dry-run", "e2e.yaml", "--events", events.path, "--explain", rule, "--until", until],
                                             in: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        var blocks: [String] = []
        var current: String?
        for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("explain ") {
                if let current { blocks.append(current) }
                current = line.contains("  \(vin)  ") ? String(line) + "\n" : nil
            } else if line.hasPrefix("  "), current != nil {
                current! += line + "\n"
            } else {
                if let c = current { blocks.append(c) }
                current = nil
            }
        }
        if let current { blocks.append(current) }
        return blocks.last
    }

    /// The stored monitor notifications as replay `message` lines, in the order and at the
    /// instants the runtime observed them (each vehicle's no earlier than its previous).
    static func messageLines(_ inbox: [InboxRecord]) -> [(at: Date, text: String)] {
        let rows = EndToEnd.observedMessages(inbox).map { observed in
            (observed.at, observed.id, StoreJSON.string(.object(["at": .string(RFC3339.formatUTC(observed.at)),
                                                                 "vin": .string(observed.vin), "message": observed.body])))
        }
        return rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { (Date(timeIntervalSince1970: Double($0.0) / 1000), $0.2) }
    }

    /// A stored notification's body with a new `date`.
    static func copy(of row: InboxRecord, at date: Date) throws -> String {
        guard case .object(var object)? = StoreJSON.parse(row.body) else { throw CocoaError(.coderInvalidValue) }
        object["date"] = .string(RFC3339.formatUTC(Timestamp.millis(date)))
        return StoreJSON.string(.object(object))
    }
}
