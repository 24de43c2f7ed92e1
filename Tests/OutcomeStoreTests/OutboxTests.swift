import Foundation
import OutcomeStore
import XCTest

/// The outbox lifecycle through the dispatch API `vigie serve` uses: one command in
/// flight per vehicle, in order; attempts; progress notifications; retries; final states.
final class OutboxTests: XCTestCase {
    private let noRetry: DispatchRetryRule = { _, _ in nil }

    /// A store with two fired decisions queued: vehicle A charge then horn, B horn.
    private func queued() throws -> OutcomeDatabase {
        let store = try OutcomeDatabase.inMemory()
        try store.commit(DecisionCommit(scope: "serve", decisions: [
            Fixtures.fired(0, vin: "A", actions: [.remote(Fixtures.chargeStart), .remote(Fixtures.hornOn)]),
            Fixtures.fired(0, vin: "B", actions: [.remote(Fixtures.hornOn)]),
        ]))
        return store
    }

    /// The `index`th ready command at `now`, its first attempt begun (being POSTed).
    private func sending(_ store: OutcomeDatabase, _ index: Int, at now: Date = Fixtures.at(0)) throws -> DispatchItem {
        let item = try store.nextDispatchItems(at: now)[index]
        XCTAssertEqual(try store.beginAttempt(outboxId: item.outboxId, at: now), item.attempts + 1)
        return item
    }

    /// Remote progress notifications, as the engine loop hands them to the store.
    private func notify(_ store: OutcomeDatabase, _ events: [DispatchRemoteEvent],
                        at now: Date = Fixtures.at(1)) throws -> DispatchStepResult {
        try store.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve"), remoteEvents: events),
                                     at: now, retry: noRetry)
    }

    func testOneCommandInFlightPerVehicleInOrder() throws {
        let store = try queued()
        let now = Fixtures.at(0)
        let ready = try store.nextDispatchItems(at: now)
        XCTAssertEqual(ready.map(\.vin), ["A", "B"])
        XCTAssertEqual(ready[0].body, #"{"charging":{"immediate":true}}"#)
        XCTAssertEqual(ready[0].status, .queued)
        XCTAssertEqual(try store.beginAttempt(outboxId: ready[0].outboxId, at: now), 1)
        XCTAssertEqual(try store.nextDispatchItems(at: now).map(\.vin), ["B"], "A waits for its command in flight")
        XCTAssertEqual(try store.inFlightDispatchItems().map(\.status), [.sending])

        XCTAssertEqual(try store.recordDispatchAccepted(actionId: ready[0].actionId, remoteActionId: "r-1",
                                                        httpStatus: 202, at: now, retry: noRetry), [])
        let pending = try notify(store, [DispatchRemoteEvent(remoteActionId: "r-1", type: "Pending", status: "Accepted")])
        XCTAssertEqual(pending.transitions.map(\.status), [.pending])
        XCTAssertEqual(try store.loggedDecisions()[0].actionRecords[0].status, "pending")
        XCTAssertEqual(try store.nextDispatchItems(at: now).map(\.vin), ["B"])

        let done = try notify(store, [DispatchRemoteEvent(remoteActionId: "r-1", type: "Done", status: "Success")])
        XCTAssertEqual(done.transitions.map(\.status), [.succeeded])
        XCTAssertNil(done.transitions[0].completed, "the firing's horn is still queued")
        let next = try store.nextDispatchItems(at: now)
        XCTAssertEqual(next.map(\.vin), ["A", "B"])
        XCTAssertEqual(next[0].body, #"{"horn":{"state":"Activated"}}"#)
        let attempts = try store.attempts(actionId: ready[0].actionId)
        XCTAssertEqual(attempts.map(\.outcome), ["succeeded"])
        XCTAssertEqual(attempts[0].remoteActionId, "r-1")
        XCTAssertEqual(attempts[0].httpStatus, 202)
    }

    func testFailedDoneRecordsTheCauseAndUnknownIdsWait() throws {
        let store = try queued()
        let item = try sending(store, 1)
        _ = try store.recordDispatchAccepted(actionId: item.actionId, remoteActionId: "r-9", httpStatus: nil,
                                             at: Fixtures.at(0), retry: noRetry)
        let unknown = try notify(store, [DispatchRemoteEvent(remoteActionId: "nope", type: "Done", status: "Success")])
        XCTAssertEqual(unknown.transitions, [])
        XCTAssertEqual(unknown.unmatchedEvents, 1)
        let failed = try notify(store, [DispatchRemoteEvent(remoteActionId: "r-9", type: "Done", status: "Failed",
                                                            failureCause: "VehicleConnectionTimeout")])
        XCTAssertEqual(failed.transitions.map(\.status), [.failed])
        XCTAssertEqual(failed.transitions[0].completed, FiringKey(vin: "B", bundle: "ev", rule: "low-battery"))
        let action = try store.loggedDecisions()[1].actionRecords[0]
        XCTAssertEqual(action.actionStatus, .failed)
        XCTAssertEqual(action.failureCause, "VehicleConnectionTimeout")
        XCTAssertNotNil(action.doneAt)
    }

    func testRetryAfterAnHTTPErrorWaitsForItsInstant() throws {
        let store = try queued()
        let now = Fixtures.at(0)
        let item = try sending(store, 0, at: now)
        try store.requeueDispatch(actionId: item.actionId, httpStatus: 429, detail: "Retry-After 30",
                                  retryAt: now.addingTimeInterval(30), at: now)
        XCTAssertEqual(try store.nextDispatchItems(at: now.addingTimeInterval(10)).map(\.vin), ["B"])
        let again = try store.nextDispatchItems(at: now.addingTimeInterval(30))
        XCTAssertEqual(again.first?.outboxId, item.outboxId)
        XCTAssertEqual(again.first?.attempts, 1)
        XCTAssertEqual(try store.beginAttempt(outboxId: item.outboxId, at: now.addingTimeInterval(30)), 2)
        let final = try store.finishDispatch(actionId: item.actionId, status: .failed, failureCause: "HTTP 403",
                                             detail: "no access", httpStatus: 403, at: now.addingTimeInterval(31))
        XCTAssertNil(final.completed, "the firing's horn is still queued")
        let action = try store.loggedDecisions()[0].actionRecords[0]
        XCTAssertEqual(action.actionStatus, .failed)
        XCTAssertEqual(action.attempts, 2)
        let attempts = try store.attempts(actionId: item.actionId)
        XCTAssertEqual(attempts.map(\.httpStatus), [429, 403], "each answer's status is on its attempt")
        XCTAssertEqual(attempts.map(\.failureCause), [nil, "HTTP 403"])
        XCTAssertEqual(attempts.map(\.outcome), ["retry", "failed"])
        XCTAssertEqual(attempts.map(\.detail), ["Retry-After 30", "no access"])
        let depths = try store.runtimeQueueDepths()
        XCTAssertEqual([depths.inboxUnprocessed, depths.outboxQueued, depths.outboxInFlight], [0, 2, 0])
    }

    func testTimedOutFinishAndRetriedFailure() throws {
        let store = try queued()
        let now = Fixtures.at(0)
        let item = try sending(store, 1, at: now)
        _ = try store.finishDispatch(actionId: item.actionId, status: .timedOut, failureCause: nil, at: now)
        XCTAssertEqual(try store.loggedDecisions()[1].actionRecords[0].actionStatus, .timedOut)
        XCTAssertThrowsError(try store.finishDispatch(actionId: 999, status: .skipped, failureCause: nil, at: now))
        XCTAssertThrowsError(try store.beginAttempt(outboxId: 999, at: now))

        // A failure worth retrying goes back to the queue, not before its instant.
        let first = try sending(store, 0, at: now)
        let later = now.addingTimeInterval(60)
        let retried = try notify(store, [DispatchRemoteEvent(remoteActionId: "r-2", type: "Done", status: "Failed",
                                                             failureCause: "VehicleBusy")])
        XCTAssertEqual(retried.transitions, [], "kept until its command is known")
        let applied = try store.recordDispatchAccepted(actionId: first.actionId, remoteActionId: "r-2", httpStatus: nil,
                                                       at: now, retry: { cause, attempts in
                                                           cause == "VehicleBusy" && attempts < 3 ? later : nil })
        XCTAssertEqual(applied.map(\.status), [.queued])
        XCTAssertEqual(applied.first?.retryAt, later)
        XCTAssertFalse(try store.nextDispatchItems(at: now).contains { $0.outboxId == first.outboxId })
        XCTAssertTrue(try store.nextDispatchItems(at: later).contains { $0.outboxId == first.outboxId })
        XCTAssertEqual(try store.attempts(actionId: first.actionId).map(\.outcome), ["failed"])
    }
}
