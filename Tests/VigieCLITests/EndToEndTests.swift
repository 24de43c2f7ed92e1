import Foundation
import OutcomeStore
import RuleEngine
import Simulator
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// Simulator + `ServeRuntime` over loopback, in one process: apply, drive the cars through
/// a morning, and check that notifications arrive, rules fire, remotes go out and
/// complete, and that what the runtime decided is what a dry run of the same
/// observations decides. Then the receiver's edge cases on the live port.
final class EndToEndTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func testMorningEndToEndMatchesADryRunOfTheSameObservations() async throws {
        let clock = ManualClock(EndToEnd.start)
        let stack = try await EndToEnd.start(database: folder.appendingPathComponent("e2e.sqlite").path, clock: clock)
        do {
            try await EndToEnd.run(clock, stack, seconds: 110 * 60)
            try await EndToEnd.settle(stack, clock: clock)
            try await checkOutcomes(stack)
            try checkAgainstDryRun(stack)
            try checkLedger(stack)
            try await checkReceiverEdgeCases(stack)
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
    }

    /// Rules fired, remotes went out and completed, per the simulator too.
    private func checkOutcomes(_ stack: DemoStack) async throws {
        let decisions = try stack.database.loggedDecisions()
        let fired = decisions.filter { $0.firing.event == "fired" }
        let charge = fired.filter { $0.firing.rule == "low-battery-charge" }
        XCTAssertEqual(charge.map(\.firing.vin), [stack.vehicles[1].vin], "the low car is charged once")
        XCTAssertTrue(fired.contains { $0.firing.rule == "departure" }, "someone leaves for work between 07:00 and 08:30")
        let remotes = decisions.flatMap(\.actionRecords).filter { $0.kind == "remote" }
        XCTAssertGreaterThanOrEqual(remotes.count, 2)
        for action in remotes {
            XCTAssertTrue([ActionStatus.succeeded, .alreadyDone].contains(action.actionStatus),
                          "\(action.payload): \(action.status) \(action.failureCause ?? "")")
        }
        // The simulator saw exactly these remotes, each once.
        guard case .array(let posted)? = await stack.simulator.core.remoteLedger()["remotes"] else {
            return XCTFail("no remote ledger")
        }
        XCTAssertEqual(Set(posted.compactMap { $0["remoteActionId"]?.stringValue }),
                       Set(remotes.compactMap(\.remoteActionId)))
        XCTAssertEqual(posted.count, remotes.count, "\(posted) vs \(remotes)")
        let charged = await stack.simulator.core.world.vehicle(stack.vehicles[1].vin)?.state
        XCTAssertTrue(charged?.charging == true || charged?.chargeFinished == true || (charged?.batteryLevel ?? 0) > 15)
    }

    /// The decisions recorded equal a dry run (ReplayRunner) of the inbox's notifications.
    private func checkAgainstDryRun(_ stack: DemoStack) throws {
        let inbox = try stack.database.inbox()
        XCTAssertFalse(inbox.isEmpty)
        XCTAssertTrue(inbox.allSatisfy(\.processed))
        let parsed = ReplayEvents.parse(EndToEnd.replayLines(inbox))
        XCTAssertEqual(parsed.errors.map(\.message), [])
        let replay = ReplayRunner(bundles: stack.bundles, inventory: stack.config.inventory)
            .run(parsed.events.map { (at: $0.at, vin: $0.vin, observation: $0.observation) })
        let expected = replay.decisions.map { EndToEnd.key(DecisionRecord($0)) }
        let recorded = try stack.database.loggedDecisions().map { EndToEnd.key($0.decision) }
        XCTAssertEqual(recorded, expected)
        XCTAssertFalse(expected.isEmpty)
    }

    /// Every notification the simulator got a 200 for is in the inbox.
    private func checkLedger(_ stack: DemoStack) throws {
        let stored = Set(try stack.database.inbox().compactMap { StoreJSON.parse($0.body) })
        let acknowledged = stack.simulator.ledger.acknowledgedMessages
        XCTAssertFalse(acknowledged.isEmpty)
        for message in acknowledged { XCTAssertTrue(stored.contains(message), "not in the inbox: \(message)") }
        XCTAssertEqual(stack.simulator.ledger.deliveries.filter { $0.status != 200 }.count, 0)
    }

    /// Duplicated, reordered and malformed notifications; a wrong secret; a body over the limit.
    private func checkReceiverEdgeCases(_ stack: DemoStack) async throws {
        let db = stack.database
        let vin = stack.vehicles[2].vin
        let before = try db.inbox().count
        // A duplicate of a notification already stored: acknowledged, not stored again.
        let old = try XCTUnwrap(db.inbox().first)
        var answer = try await EndToEnd.post(stack, Data(old.body.utf8))
        XCTAssertEqual(answer.status, 200)
        XCTAssertTrue(answer.body.contains("\"duplicates\":1"), answer.body)
        XCTAssertEqual(try db.inbox().count, before)
        // Two new notifications in one batch, the later first; and a malformed item.
        func message(_ minute: Int, level: Int) -> JSONValue {
            .object(["callbackId": .string(stack.callbackID), "type": .string("Monitor"),
                     "date": .string(String(format: "2026-11-23T09:%02d:00Z", minute)),
                     "attributes": .array([.object(["key": .string("vin"), "value": .string(vin)])]),
                     "monitorEvent": .object(["monitorId": .string("mon-e2e"), "values": .array([
                         .object(["data": .string("vehicle.energy.electric.level"),
                                  "value": .object(["type": .string("string"),
                                                    "body": .object(["literalValue": .string("\(level)")])])]),
                     ])])])
        }
        let batch: JSONValue = .array([message(41, level: 50), message(40, level: 51), .object(["type": .string("Remote")])])
        answer = try await EndToEnd.post(stack, StoreJSON.data(batch))
        XCTAssertEqual(answer.status, 200)
        let letters = try db.deadLetters().map(\.error).joined(separator: "; ")
        XCTAssertTrue(answer.body.contains("\"stored\":2") && answer.body.contains("\"deadLetters\":1"),
                      answer.body + " " + letters)
        XCTAssertEqual(try db.inbox().count, before + 2)
        XCTAssertEqual(try db.deadLetters().count, 1)
        // A wrong secret: 401, nothing stored.
        answer = try await EndToEnd.post(stack, StoreJSON.data(message(42, level: 49)), secret: "not-the-secret")
        XCTAssertEqual(answer.status, 401)
        // Over the limit (4 MiB): 413, nothing stored.
        let huge = Data("[\"".utf8) + Data(repeating: UInt8(ascii: "x"), count: 4 * 1024 * 1024 + 16) + Data("\"]".utf8)
        answer = try await EndToEnd.post(stack, huge)
        XCTAssertEqual(answer.status, 413)
        XCTAssertEqual(try db.inbox().count, before + 2)
        XCTAssertEqual(try db.deadLetters().count, 1)
        // The engine consumes the reordered pair without trouble.
        let deadline = Date().addingTimeInterval(10)
        while try db.unprocessedInbox(limit: 5).count > 0, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        XCTAssertEqual(try db.unprocessedInbox(limit: 5).count, 0)
    }
}
