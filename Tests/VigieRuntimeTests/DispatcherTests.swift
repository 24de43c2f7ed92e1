import Foundation
import OutcomeStore
import StellantisAPI
import StellantisModels
import XCTest
@testable import VigieRuntime

/// The dispatcher against the simulator: budgets, the retry policy, and restarts at the
/// dangerous points (between deciding and sending, between sending and recording) — no
/// command is ever POSTed twice (checked on the simulator's own list of remotes).
final class DispatcherTests: XCTestCase {
    func testASecondCommandOverTheDailyBudgetIsSkipped() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule) { $0.commandsPerDay = 1 }
        let vin = h.vins[0]
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the first command succeeds") { try h.actions().first?.actionStatus == .succeeded }
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "60"])
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "12"])
        try await h.waitUntil("the second firing's command is settled") {
            try h.actions().filter { $0.kind == "remote" }.count == 2
                && h.actions().filter { $0.kind == "remote" }.allSatisfy { $0.actionStatus?.isFinal == true }
        }
        let remotes = try h.actions().filter { $0.kind == "remote" }
        XCTAssertEqual(remotes.map(\.actionStatus), [.succeeded, .skipped])
        XCTAssertEqual(remotes[1].failureCause, "budget")
        XCTAssertEqual(try h.database().attempts(actionId: remotes[1].id!).count, 0, "never POSTed")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.budgetExceeded, ["budget": "commands"]), 1)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.commands, ["outcome": "skipped"]), 1)
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 1)
    }

    func testAWorthRetryingFailureIsRetriedUpToTheCap() async throws {
        let h = ServeHarness { $0.remoteFailRate = 1 }   // every remote ends Failed / VehicleConnectionTimeout
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule) { $0.maxAttempts = 2 }
        let vin = h.vins[0]
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the command fails for good", timeout: 20) {
            try h.actions().first?.actionStatus == .failed
        }
        let action = try XCTUnwrap(h.actions().first)
        XCTAssertEqual(action.failureCause, "VehicleConnectionTimeout")
        XCTAssertEqual(action.attempts, 2)
        let attempts = try h.database().attempts(actionId: action.id!)
        XCTAssertEqual(attempts.map(\.failureCause), ["VehicleConnectionTimeout", "VehicleConnectionTimeout"])
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(Set(posted.map(\.remoteActionId)), Set(attempts.compactMap(\.remoteActionId)),
                       "each POST is one recorded attempt")
        XCTAssertEqual(posted.count, 2)
    }

    func testOnlyCausesWorthRetryingAreRetried() {
        for cause in ["VehicleConnectionTimeout", "TooManyRequestInShortTime", "SameActionInProgress"] {
            XCTAssertTrue(CommandRetry.isRetriable(cause: cause), cause)
        }
        for cause in ["DoorsOpen", "MissingRights", "NotPossibleDueToVehicleBatteryLevel", "TooManyWakeUpsOverMonth",
                      "CanceledByDriver", "WrongCommand"] {
            XCTAssertFalse(CommandRetry.isRetriable(cause: cause), cause)
        }
        let failure = { (status: Int, after: Double?) in
            StellantisAPIError.api(APIFailure(status: status, method: "POST", path: "/x", body: nil, retryAfter: after))
        }
        XCTAssertEqual(CommandRetry.verdict(for: failure(429, 7)), .retry(after: 7))
        XCTAssertEqual(CommandRetry.verdict(for: failure(400, nil)), .reject)
        XCTAssertEqual(CommandRetry.verdict(for: failure(403, nil)), .reject)
        XCTAssertEqual(CommandRetry.verdict(for: failure(503, nil)), .unknown, "a POST's 5xx may have been applied")
        XCTAssertEqual(CommandRetry.verdict(for: StellantisAPIError.remoteNotApplied(cause: "x")), .retry(after: nil))
        XCTAssertEqual(CommandRetry.verdict(for: StellantisAPIError.remoteOutcomeUnknown(cause: "x")), .unknown)
    }

    func testRestartBetweenDecidingAndSendingSendsOnce() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let vin = h.vins[0]
        try h.commitDecision(vin: vin)               // the process stopped right after committing the decision
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        try await h.waitUntil("the queued command succeeds") { try h.actions().first?.actionStatus == .succeeded }
        await h.stopRuntime()
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        await h.advance(30)
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 1, "sent once, not again after the restart")
        XCTAssertEqual(try h.actions().first?.attempts, 1)
    }

    func testRestartBetweenSendingAndRecordingReconcilesByListing() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let vin = h.vins[0]
        let actionId = try h.commitDecision(vin: vin)
        let outboxId = try XCTUnwrap(h.outbox().first?.id)
        _ = try h.database().beginAttempt(outboxId: outboxId, at: h.clock.now())   // marked sending…
        let sent = try await h.b2c.postRemote(vehicle: h.vehicleIDs[vin]!, callback: h.callbackID,
                                              Remote(.horn(RemoteHorn())))          // …POSTed, then the process died
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        try await h.waitUntil("the command is found and completes") {
            try h.actions().first?.actionStatus == .succeeded
        }
        let action = try XCTUnwrap(h.actions().first { $0.id == actionId })
        XCTAssertEqual(action.remoteActionId, sent.remoteActionId, "recognised by listing, not POSTed again")
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.map(\.remoteActionId), [sent.remoteActionId])
    }

    func testACommandMarkedSendingButNeverPostedIsSentOnce() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let vin = h.vins[0]
        try h.commitDecision(vin: vin)
        _ = try h.database().beginAttempt(outboxId: try XCTUnwrap(h.outbox().first?.id), at: h.clock.now())
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        try await h.waitUntil("the command succeeds") { try h.actions().first?.actionStatus == .succeeded }
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 1)
        XCTAssertEqual(try h.actions().first?.attempts, 2, "the interrupted attempt and the real one are both recorded")
    }

    func testALostDoneIsSettledByListingAfterTheTimeOut() async throws {
        let h = ServeHarness { $0.dropRate = 1 }   // the simulator's notifications are all lost
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule) { $0.remoteTimeout = 60 }
        let vin = h.vins[0]
        try h.commitDecision(vin: vin)
        try await h.waitUntil("the command is sent", step: 0) { try h.actions().first?.actionStatus == .sent }
        await h.advance(30)
        XCTAssertEqual(try h.actions().first?.actionStatus, .sent, "no Done yet, and not timed out")
        try await h.waitUntil("the listing settles it") { try h.actions().first?.actionStatus == .succeeded }
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 1)
    }

    func testAQueuedCommandOfARestartRuleIsCancelledByTheNextFiring() async throws {
        let rule = """
            vigie: 1
            bundle: test
            rules:
              - id: horn-when-low
                when: battery.level < 20
                mode: restart
                then:
                  - horn: on
                  - lights: on
            """
        let h = ServeHarness { $0.dropRate = 1 }   // no Done: the first command stays in flight
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: rule)
        let vin = h.vins[0]
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the horn is sent", step: 0) { try h.actions().first?.actionStatus == .sent }
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "60"])
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "10"])
        try await h.waitUntil("the second firing is recorded", step: 0) { try h.firings().count == 2 }
        let actions = try h.actions()
        XCTAssertEqual(actions.map(\.payload), [#"{"horn":{"state":"Activated"}}"#, #"{"lights":{"on":true}}"#,
                                                #"{"horn":{"state":"Activated"}}"#, #"{"lights":{"on":true}}"#])
        XCTAssertEqual(actions[0].actionStatus, .sent, "a command already sent runs to its end")
        XCTAssertEqual(actions[1].actionStatus, .skipped)
        XCTAssertEqual(actions[1].failureCause, "cancelled")
        XCTAssertEqual(actions[2].actionStatus, .queued)
    }

    func testADoneThatArrivesBeforeThePOSTIsRecordedIsAppliedWhenItIs() throws {
        let db = try OutcomeDatabase.inMemory()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let decision = DecisionRecord(at: now, vin: "VIN1", bundle: "b", rule: "r", event: .fired,
                                      actions: [.remote(.object(["horn": .object(["state": .string("Activated")])]))])
        _ = try db.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve", decisions: [decision])),
                                      at: now, retry: { _, _ in nil })
        let item = try XCTUnwrap(db.nextDispatchItems(at: now).first)
        _ = try db.beginAttempt(outboxId: item.outboxId, at: now)
        // The engine loop consumes the Done before the dispatcher has recorded the POST's answer.
        let early = try db.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: "serve"),
                         remoteEvents: [DispatchRemoteEvent(remoteActionId: "rem-1", type: "Done", status: "Success")]),
            at: now, retry: { _, _ in nil })
        XCTAssertEqual(early.unmatchedEvents, 1, "kept for later")
        let moves = try db.recordDispatchAccepted(actionId: item.actionId, remoteActionId: "rem-1", httpStatus: 200,
                                                  at: now, retry: { _, _ in nil })
        XCTAssertEqual(moves.map(\.status), [.succeeded])
        XCTAssertEqual(moves.first?.completed, FiringKey(vin: "VIN1", bundle: "b", rule: "r"), "the engine is told")
        XCTAssertEqual(try db.inFlightDispatchItems(), [], "the vehicle is free again")
        XCTAssertEqual(try db.unfinishedFirings(), [:])
    }
}
