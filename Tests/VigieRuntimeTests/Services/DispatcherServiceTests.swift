import Foundation
import GRDB
import Logging
import OutcomeStore
import RuleEngine
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import VigieRuntime

/// The dispatcher service alone, on an in-memory store, a manual clock and a scripted
/// API: claims only what is still queued (one command in flight per vehicle), retries on
/// the clock with back-off, puts a command back when the session is lost and waits for
/// it, reconciles by listing a command left `sending`, and times out a command whose
/// `Done` never came.
final class DispatcherServiceTests: XCTestCase {
    static let horn: JSONValue = .object(["horn": .object(["state": .string("Activated")])])

    /// Queues one horn command per VIN (in order; a VIN twice gets two commands).
    @discardableResult
    static func queue(_ vins: [String], in database: OutcomeDatabase, at: Date = ServiceFixture.start) throws -> [Int64] {
        try database.commit(DecisionCommit(scope: "serve", decisions: vins.enumerated().map { i, vin in
            DecisionRecord(at: at.addingTimeInterval(Double(i) / 1000), vin: vin, bundle: "b", rule: "r", event: .fired,
                           actions: [.remote(horn)])
        }), now: at)
        return try database.loggedDecisions().flatMap(\.actionRecords).compactMap(\.id)
    }

    func testCommandsOfSeveralVehiclesGoOneAtATimePerVehicle() async throws {
        let rig = try DispatchRig()
        try Self.queue(["V1", "V1", "V2", "V3"], in: rig.database)
        rig.start()
        try await waitUntil("one POST per vehicle") { rig.api.posts.count == 3 }
        XCTAssertEqual(Set(rig.api.posts.map(\.vin)), ["V1", "V2", "V3"])
        try await waitUntil("the acceptances recorded") { try rig.database.runtimeQueueDepths().outboxInFlight == 3 }
        // V1's second command waits while its first is in flight (no Done yet).
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.posts.count, 3, "a second command went beside one in flight")
        XCTAssertEqual(try rig.database.runtimeQueueDepths().outboxQueued, 1)
        // Its Done (as the engine applies it) lets the next one go.
        let first = rig.api.posts.first { $0.vin == "V1" }!.id
        _ = try await rig.database.commitDispatchStep(
            DispatchStep(commit: DecisionCommit(scope: "serve"),
                         remoteEvents: [DispatchRemoteEvent(remoteActionId: first, type: "Done", status: "Success")]),
            at: rig.clock.now(), retry: { _, _ in nil })
        rig.wake.wake()
        try await waitUntil("V1's second command") { rig.api.posts.count == 4 }
        XCTAssertEqual(rig.api.posts.last?.vin, "V1")
        await rig.stop()
    }

    /// A command claimed by another path between the dispatcher's read and its claim is
    /// refused by the conditional claim and never POSTed by the dispatcher.
    func testACommandClaimedElsewhereMeanwhileIsNotSent() async throws {
        let database = try OutcomeDatabase.inMemory()
        try Self.queue(["V1", "V2"], in: database)
        let racer = RacingGuard(database: database, vin: "V2")
        let rig = try DispatchRig(database: database, guardrails: racer)
        rig.start()
        try await waitUntil("V1 sent") { rig.api.posts.count == 1 }
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.posts.map(\.vin), ["V1"], "V2 was claimed elsewhere first")
        XCTAssertTrue(racer.raced)
        let v2 = try database.inFlightDispatchItems().first { $0.vin == "V2" }
        XCTAssertEqual(v2?.attempts, 1, "only the other path's attempt")
        XCTAssertEqual(v2?.status, .sending)
        await rig.stop()
    }

    func testANotAppliedPOSTIsRetriedAfterTheBackOffOnTheClock() async throws {
        let rig = try DispatchRig(settings: RuntimeSettings(webhookSecret: "s", retryBase: 10, dispatchConcurrency: 4))
        rig.api.script([.fail(StellantisAPIError.api(APIFailure(status: 429, method: "POST", path: "/x", body: nil)))])
        let actions = try Self.queue(["V1"], in: rig.database)
        rig.start()
        try await waitUntil("the first attempt") { rig.api.calls == 1 }
        try await waitUntil("requeued") { try rig.database.runtimeQueueDepths().outboxQueued == 1 }
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.calls, 1, "retried before its back-off")
        rig.clock.advance(by: 9)
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.calls, 1, "retried before its back-off")
        rig.clock.advance(by: 1)
        try await waitUntil("the retry at its time") { rig.api.posts.count == 1 }
        // The second attempt is opened before its POST; its acceptance is recorded after.
        try await waitUntil("recorded") { try rig.database.attempts(actionId: actions[0]).last?.outcome == "accepted" }
        XCTAssertEqual(try rig.database.attempts(actionId: actions[0]).map(\.outcome), ["retry", "accepted"])
        await rig.stop()
    }

    func testASessionLostPutsTheCommandBackAndItWaitsForTheSession() async throws {
        let rig = try DispatchRig()
        rig.api.script([.fail(StellantisAPIError.authentication("refresh token revoked (test)"))])
        let actions = try Self.queue(["V1"], in: rig.database)
        rig.start()
        try await waitUntil("the session seen lost") { !rig.access.readiness.ready }
        try await waitUntil("requeued") { try rig.database.runtimeQueueDepths().outboxQueued == 1 }
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.calls, 1, "sent while the session is unavailable")
        rig.access.available()   // the connector found the session working again
        rig.wake.wake()
        try await waitUntil("sent once the session works") { rig.api.posts.count == 1 }
        // The second attempt is opened before its POST; its acceptance is recorded after.
        try await waitUntil("recorded") { try rig.database.attempts(actionId: actions[0]).last?.outcome == "accepted" }
        XCTAssertEqual(try rig.database.attempts(actionId: actions[0]).map(\.outcome), ["retry", "accepted"])
        await rig.stop()
    }

    /// At start, a command a previous process left `sending` is settled by listing: found
    /// (recorded, not POSTed again), or not found (back in the queue, then sent once).
    func testACommandLeftSendingIsReconciledByListing() async throws {
        let database = try OutcomeDatabase.inMemory()
        let actions = try Self.queue(["V1", "V2"], in: database)
        for item in try database.nextDispatchItems(at: ServiceFixture.start) {
            _ = try database.beginAttempt(outboxId: item.outboxId, at: ServiceFixture.start)   // then "crashed"
        }
        let rig = try DispatchRig(database: database)
        rig.api.list(vin: "V1", [RemoteAction(remoteActionId: "ra-listed", type: .horn, status: .sentToVehicle,
                                              remote: Remote(.horn(RemoteHorn())))])
        rig.start()
        try await waitUntil("V2 sent again") { rig.api.posts.count == 1 }
        XCTAssertEqual(rig.api.posts.map(\.vin), ["V2"], "V1 was found by listing: not POSTed again")
        let v1 = try database.inFlightDispatchItems().first { $0.vin == "V1" }
        XCTAssertEqual(v1?.status, .sent)
        XCTAssertEqual(v1?.remoteActionId, "ra-listed")
        // The second attempt is opened before its POST; its acceptance is recorded after.
        try await waitUntil("V2 recorded") { try database.attempts(actionId: actions[1]).last?.outcome == "accepted" }
        XCTAssertEqual(try database.attempts(actionId: actions[1]).map(\.outcome), ["retry", "accepted"])
        await rig.stop()
    }

    /// Partitions gained (PostgreSQL): a command their dead owner left `sending` is looked
    /// at once, not at the follow-up the dispatcher had planned for its own commands (up
    /// to 30 s later), and reconciled by listing.
    func testPartitionsGainedAreFollowedUpAtOnce() async throws {
        let rig = try DispatchRig()
        rig.start()
        try Self.queue(["V0"], in: rig.database)
        rig.wake.wake()
        try await waitUntil("V0 sent (the follow-up planned 30 s ahead)") { rig.api.posts.count == 1 }
        // The command another instance claimed long ago, then died: queued and claimed in
        // one transaction, so this dispatcher never sees it queued.
        let step = DecisionCommit(scope: "serve", decisions: [
            DecisionRecord(at: ServiceFixture.start.addingTimeInterval(-120), vin: "V1", bundle: "b", rule: "r",
                           event: .fired, actions: [.remote(Self.horn)]),
        ])
        try await rig.database.writer.write { db in
            _ = try OutcomeDatabase.apply(step, now: ServiceFixture.start.addingTimeInterval(-120), in: db)
            let outboxId = try XCTUnwrap(try Int64.fetchOne(db, sql: "SELECT id FROM outbox WHERE vin = 'V1'"))
            _ = try OutcomeDatabase.claim(outboxId: outboxId, at: ServiceFixture.start.addingTimeInterval(-60), in: db)
        }
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(rig.api.posts.count, 1, "followed up before its planned time without partitions gained")
        rig.wake.partitionsGained()
        try await waitUntil("V1 reconciled (not listed) and sent once") { rig.api.posts.count == 2 }
        XCTAssertEqual(rig.api.posts.map(\.vin), ["V0", "V1"])
        await rig.stop()
    }

    func testACommandWithoutDoneTimesOutOnTheClock() async throws {
        let rig = try DispatchRig(settings: RuntimeSettings(webhookSecret: "s", remoteTimeout: 60, dispatchConcurrency: 4))
        let actions = try Self.queue(["V1", "V1"], in: rig.database)
        rig.start()
        try await waitUntil("sent") { rig.api.posts.count == 1 }
        try await waitUntil("recorded") { try rig.database.inFlightDispatchItems().first?.status == .sent }
        rig.clock.advance(by: 59)
        rig.wake.wake()
        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(try rig.database.inFlightDispatchItems().count, 1, "timed out early")
        rig.clock.advance(by: 2)
        try await waitUntil("timed out") { try rig.database.inFlightDispatchItems().first?.actionId != actions[0] }
        XCTAssertEqual(rig.api.listings, ["V1"], "the listing was asked before giving up")
        XCTAssertEqual(try rig.database.loggedDecisions().flatMap(\.actionRecords).first?.status, "timedOut")
        try await waitUntil("the next command of the vehicle") { rig.api.posts.count == 2 }
        await rig.stop()
    }

    /// Commands answered while a group is being written are recorded together: fewer
    /// transactions than commands, every one recorded.
    func testAcceptancesAreRecordedInGroups() async throws {
        let rig = try DispatchRig(settings: RuntimeSettings(webhookSecret: "s", dispatchConcurrency: 64))
        let vins = (0..<200).map { String(format: "V%03d", $0) }
        try Self.queue(vins, in: rig.database)
        rig.start()
        try await waitUntil("all sent and recorded") { try rig.database.inFlightDispatchItems().allSatisfy { $0.status == .sent }
            && rig.api.posts.count == 200 && rig.dispatcher.acceptances.counts.recorded == 200 }
        let counts = rig.dispatcher.acceptances.counts
        XCTAssertEqual(counts.recorded, 200)
        XCTAssertLessThan(counts.transactions, 200, "each acceptance in its own transaction")
        await rig.stop()
    }
}

/// A dispatcher on an in-memory store, a manual clock and a scripted API.
final class DispatchRig: Sendable {
    let database: OutcomeDatabase
    let clock = ManualClock(ServiceFixture.start)
    let api = ScriptedAPI()
    let access = APIAccess(metrics: RuntimeMetrics(), logger: ServiceFixture.logger)
    let wake = DispatchWake()
    let dispatcher: Dispatcher
    private let running = Mutex<Task<Void, any Error>?>(nil)

    init(database: OutcomeDatabase? = nil, settings: RuntimeSettings = RuntimeSettings(webhookSecret: "s"),
         guardrails: any DecisionGuard = NoGuard()) throws {
        self.database = try database ?? OutcomeDatabase.inMemory()
        dispatcher = Dispatcher(settings: settings, store: self.database, access: access, clock: clock,
                                decisionGuard: guardrails,
                                reporter: RuntimeReporter(metrics: RuntimeMetrics(), logger: ServiceFixture.logger),
                                engine: EngineHandoff(), wake: wake)
    }

    func start() {
        access.attach(api)
        let dispatcher = self.dispatcher
        running.withLock { $0 = Task { try await dispatcher.run() } }
    }

    func stop() async {
        let task = running.withLock { $0 }
        task?.cancel()
        _ = try? await task?.value
    }
}

/// Claims `vin`'s command behind the dispatcher's back when asked about it (between the
/// dispatcher's read of the queue and its claim), as another path could.
final class RacingGuard: DecisionGuard {
    let database: OutcomeDatabase
    let vin: String
    private let done = Mutex(false)
    var raced: Bool { done.withLock { $0 } }

    init(database: OutcomeDatabase, vin: String) {
        self.database = database
        self.vin = vin
    }

    func review(_ decision: Decision, observedAt: Date, now: Date) -> Decision { decision }
    func recordBudgetStop(vin: String, at: Date, detail: String?) {}

    func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? {
        guard vin == self.vin, !raced else { return nil }
        if let item = try? database.nextDispatchItems(at: now).first(where: { $0.vin == vin }) {
            _ = try? database.beginAttempt(outboxId: item.outboxId, at: now)
            done.withLock { $0 = true }
        }
        return nil
    }
}

/// A `VehicleAPI` whose POSTs follow a script (then succeed), whose listings are set per
/// vehicle, and which notes every call.
final class ScriptedAPI: VehicleAPI {
    enum Step { case ok, fail(any Error) }

    private struct State {
        var script: [Step] = []
        var calls = 0
        var posts: [(vin: String, id: String)] = []
        var listed: [String: [RemoteAction]] = [:]
        var listings: [String] = []
    }

    private let state = Mutex(State())
    var calls: Int { state.withLock { $0.calls } }
    var posts: [(vin: String, id: String)] { state.withLock { $0.posts } }
    var listings: [String] { state.withLock { $0.listings } }

    func script(_ steps: [Step]) { state.withLock { $0.script = steps } }
    func list(vin: String, _ actions: [RemoteAction]) { state.withLock { $0.listed[vin] = actions } }

    func postRemote(vin: String, body: Remote) async throws -> String {
        try state.withLock { s in
            s.calls += 1
            if !s.script.isEmpty, case .fail(let error) = s.script.removeFirst() { throw error }
            let id = "ra-\(s.calls)"
            s.posts.append((vin, id))
            return id
        }
    }

    func remotes(vin: String) async throws -> [RemoteAction] {
        state.withLock { s in
            s.listings.append(vin)
            return s.listed[vin] ?? []
        }
    }

    func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
    var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
}

/// Polls `condition` until it holds (5 s at most): for what another task does.
func waitUntil(_ what: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line,
               _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else {
            XCTFail("timed out waiting for: \(what)", file: file, line: line)
            throw CancellationError()
        }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
}
