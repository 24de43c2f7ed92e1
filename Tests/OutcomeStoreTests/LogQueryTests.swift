import Foundation
import OutcomeStore
import VehicleData
import XCTest

final class LogQueryTests: XCTestCase {
    private func filled() throws -> OutcomeDatabase {
        let store = try OutcomeDatabase.inMemory()
        // Recorded out of time order on purpose: the log sorts by instant.
        try store.commit(DecisionCommit(scope: "s", decisions: [
            Fixtures.fired(10, vin: "A", rule: "r1"),
            Fixtures.fired(0, vin: "B", rule: "r2", actions: [.notify("hello")]),
            Fixtures.suppressed(20, vin: "A", rule: "r1"),
            Fixtures.fired(30, vin: "B", rule: "r1"),
        ], dispatch: .recordOnly))
        return store
    }

    func testFiltersByVehicleRuleAndInstant() throws {
        let store = try filled()
        func minutes(_ filter: LogFilter) throws -> [Double] {
            try store.loggedDecisions(filter).map { $0.firing.at.timeIntervalSince(Fixtures.t0) / 60 }
        }
        XCTAssertEqual(try minutes(LogFilter()), [0, 10, 20, 30])
        XCTAssertEqual(try minutes(LogFilter(vin: "A")), [10, 20])
        XCTAssertEqual(try minutes(LogFilter(rule: "r1")), [10, 20, 30])
        XCTAssertEqual(try minutes(LogFilter(vin: "B", rule: "r1")), [30])
        XCTAssertEqual(try minutes(LogFilter(since: Fixtures.at(10))), [10, 20, 30])
        XCTAssertEqual(try minutes(LogFilter(since: Fixtures.at(5), until: Fixtures.at(30))), [10, 20])
        XCTAssertEqual(try minutes(LogFilter(limit: 2)), [20, 30], "the newest two, oldest first")
        XCTAssertEqual(try minutes(LogFilter(bundle: "other")), [])
    }

    func testJSONHasTheDryRunKeysAndTheOutcomes() throws {
        let store = try filled()
        let first = try store.loggedDecisions(LogFilter(vin: "A"))[0]
        let text = StoreJSON.string(first.jsonValue)
        XCTAssertEqual(text, #"{"actions":[{"remote":{"charging":{"immediate":true}}},{"notify":"A: battery low"}],"#
            + #""at":"2026-03-02T22:10:00Z","bundle":"ev","event":"fired","id":1,"#
            + #""outcomes":[{"attempts":0,"doneAt":null,"failureCause":null,"remoteActionId":null,"sentAt":null,"status":"notSent"},"#
            + #"{"attempts":0,"doneAt":null,"failureCause":null,"remoteActionId":null,"sentAt":null,"status":"notified"}],"#
            + #""reason":null,"rule":"r1","vin":"A"}"#)
        let suppressed = try store.loggedDecisions(LogFilter(vin: "A"))[1]
        XCTAssertEqual(suppressed.decision.event, .suppressed)
        XCTAssertEqual(suppressed.decision.reason, "cooldown")
        XCTAssertEqual(suppressed.jsonValue["outcomes"], .array([]))
    }

    func testDecisionReadsBackAsRecorded() throws {
        let store = try OutcomeDatabase.inMemory()
        let original = DecisionRecord(at: Fixtures.at(1.5), vin: "V", bundle: "b", rule: "r", event: .fired,
                                      actions: [.remote(.object(["navigation": .object([
                                          "positions": .array([.object(["type": .string("Point"),
                                                                        "coordinates": .array([.number(2.3333), .number(48.8667)])])]),
                                          "driverApproval": .bool(false)])])), .notify("a/b \"quoted\"")])
        try store.commit(DecisionCommit(scope: "s", decisions: [original], dispatch: .recordOnly))
        XCTAssertEqual(try store.loggedDecisions()[0].decision, original)
    }
}
