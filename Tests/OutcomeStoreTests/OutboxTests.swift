import Foundation
import OutcomeStore
import XCTest

final class OutboxTests: XCTestCase {
    private func queue(_ store: OutcomeDatabase) throws {
        try store.commit(DecisionCommit(scope: "serve", decisions: [
            Fixtures.fired(0, vin: "A", actions: [.remote(Fixtures.chargeStart), .remote(Fixtures.hornOn)]),
            Fixtures.fired(0, vin: "B", actions: [.remote(Fixtures.hornOn)]),
        ]))
    }

    func testOneCommandInFlightPerVehicleInOrder() throws {
        let store = try OutcomeDatabase.inMemory()
        try queue(store)
        let ready = try store.readyOutboxItems()
        XCTAssertEqual(ready.map(\.vin), ["A", "B"])
        XCTAssertEqual(ready[0].body, #"{"charging":{"immediate":true}}"#)
        XCTAssertEqual(try store.beginAttempt(outboxId: ready[0].id!), 1)
        XCTAssertEqual(try store.readyOutboxItems().map(\.vin), ["B"], "A waits for its command in flight")

        try store.recordAccepted(actionId: ready[0].actionId, remoteActionId: "r-1", httpStatus: 202)
        try store.recordRemoteEvent(remoteActionId: "r-1", type: "Pending", status: "Accepted", failureCause: nil)
        XCTAssertEqual(try store.loggedDecisions()[0].actionRecords[0].status, "pending")
        XCTAssertEqual(try store.readyOutboxItems().map(\.vin), ["B"])

        let done = try store.recordRemoteEvent(remoteActionId: "r-1", type: "Done", status: "Success", failureCause: nil)
        XCTAssertEqual(done?.actionStatus, .succeeded)
        let next = try store.readyOutboxItems()
        XCTAssertEqual(next.map(\.vin), ["A", "B"])
        XCTAssertEqual(next[0].body, #"{"horn":{"state":"Activated"}}"#)
        let attempts = try store.attempts(actionId: ready[0].actionId)
        XCTAssertEqual(attempts.map(\.outcome), ["succeeded"])
        XCTAssertEqual(attempts[0].remoteActionId, "r-1")
        XCTAssertEqual(attempts[0].httpStatus, 202)
    }

    func testFailedDoneRecordsTheCauseAndUnknownIdsAreIgnored() throws {
        let store = try OutcomeDatabase.inMemory()
        try queue(store)
        let item = try store.readyOutboxItems()[1]
        _ = try store.beginAttempt(outboxId: item.id!)
        try store.recordAccepted(actionId: item.actionId, remoteActionId: "r-9")
        XCTAssertNil(try store.recordRemoteEvent(remoteActionId: "nope", type: "Done", status: "Success", failureCause: nil))
        let failed = try store.recordRemoteEvent(remoteActionId: "r-9", type: "Done", status: "Failed",
                                                 failureCause: "VehicleConnectionTimeout")
        XCTAssertEqual(failed?.actionStatus, .failed)
        XCTAssertEqual(failed?.failureCause, "VehicleConnectionTimeout")
        XCTAssertNotNil(failed?.doneAt)
    }

    func testRetryAfterAnHTTPErrorWaitsForItsInstant() throws {
        let store = try OutcomeDatabase.inMemory()
        try queue(store)
        let now = Fixtures.at(0)
        let item = try store.readyOutboxItems(at: now)[0]
        _ = try store.beginAttempt(outboxId: item.id!, at: now)
        try store.recordAttemptFailed(actionId: item.actionId, httpStatus: 429, detail: "Retry-After 30",
                                      retryAt: now.addingTimeInterval(30), at: now)
        XCTAssertEqual(try store.readyOutboxItems(at: now.addingTimeInterval(10)).map(\.vin), ["B"])
        let again = try store.readyOutboxItems(at: now.addingTimeInterval(30))
        XCTAssertEqual(again.first?.id, item.id)
        XCTAssertEqual(try store.beginAttempt(outboxId: item.id!, at: now.addingTimeInterval(30)), 2)
        try store.recordAttemptFailed(actionId: item.actionId, httpStatus: 403, detail: "no access", retryAt: nil)
        let action = try store.loggedDecisions()[0].actionRecords[0]
        XCTAssertEqual(action.actionStatus, .failed)
        XCTAssertEqual(action.attempts, 2)
        XCTAssertEqual(try store.attempts(actionId: item.actionId).map(\.httpStatus), [429, 403])
        XCTAssertEqual(try store.outboxCounts(), [.queued: 2, .done: 1])
    }

    func testTimedOutFinishAndRetryAction() throws {
        let store = try OutcomeDatabase.inMemory()
        try queue(store)
        let item = try store.readyOutboxItems()[1]
        _ = try store.beginAttempt(outboxId: item.id!)
        try store.finishAction(actionId: item.actionId, status: .timedOut)
        XCTAssertEqual(try store.loggedDecisions()[1].actionRecords[0].actionStatus, .timedOut)
        try store.retryAction(actionId: item.actionId, notBefore: nil)
        XCTAssertTrue(try store.readyOutboxItems().contains { $0.id == item.id })
        XCTAssertThrowsError(try store.finishAction(actionId: 999, status: .skipped))
    }
}
