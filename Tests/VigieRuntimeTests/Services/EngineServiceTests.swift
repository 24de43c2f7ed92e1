import Foundation
import VehicleData
import OutcomeStore
import RuleEngine
import RuleLanguage
import XCTest
@testable import VigieRuntime

/// The engine service alone, on an in-memory store and a manual clock: a step observes
/// the inbox, commits the decision with its outbox row and wakes the dispatcher; with a
/// reorder window an input waits until the watermark passes it.
final class EngineServiceTests: XCTestCase {
    private func engine(_ database: OutcomeDatabase, clock: ManualClock, window: Double,
                        dispatch: DispatchWake) async throws -> EngineService {
        try await EngineService(
            settings: RuntimeSettings(webhookSecret: "s", reorderWindow: window), store: database,
            bundles: try ServiceFixture.bundles(), inventory: Inventory(vehicles: [.init(vin: ServiceFixture.vin)]),
            decisionGuard: NoGuard(), clock: clock,
            reporter: RuntimeReporter(metrics: RuntimeMetrics(), logger: ServiceFixture.logger),
            handoff: EngineHandoff(), commandsQueued: dispatch)
    }

    func testAStepCommitsTheDecisionAndWakesTheDispatcher() async throws {
        let database = try OutcomeDatabase.inMemory()
        let clock = ManualClock(ServiceFixture.start)
        let dispatch = DispatchWake()
        let engine = try await engine(database, clock: clock, window: 0, dispatch: dispatch)
        try await ServiceFixture.store(database, level: 15, date: ServiceFixture.start, key: "a")

        let consumed = try await engine.step()
        XCTAssertTrue(consumed)
        XCTAssertEqual(try database.loggedDecisions().map(\.decision.event.rawValue), ["fired"])
        XCTAssertEqual(try database.runtimeQueueDepths().outboxQueued, 1)
        XCTAssertEqual(try database.runtimeQueueDepths().inboxUnprocessed, 0)
        // The dispatcher's wake-up was signalled: its wait returns at once.
        await dispatch.wait(until: nil, clock: clock, sweep: nil)
    }

    /// A notify-only `changed` rule rising twice in one step fires twice, as replay does:
    /// the first firing has completed (nothing to send) before the second input is observed.
    func testANotifyOnlyFiringCompletesBeforeTheNextInputOfTheSameStep() async throws {
        let database = try OutcomeDatabase.inMemory()
        let clock = ManualClock(ServiceFixture.start.addingTimeInterval(10))
        let engine = try await ServiceFixture.levelChangedEngine(database, clock: clock)
        try await ServiceFixture.store(database, level: 50, date: ServiceFixture.start, key: "a")
        try await ServiceFixture.store(database, level: 51, date: ServiceFixture.start.addingTimeInterval(1), key: "b")
        try await ServiceFixture.store(database, level: 52, date: ServiceFixture.start.addingTimeInterval(2), key: "c")

        _ = try await engine.step()
        let events = try database.loggedDecisions().map(\.decision.event.rawValue)
        XCTAssertFalse(events.contains("suppressed"), "no rise is suppressed as still running: \(events)")
        XCTAssertEqual(try database.runtimeQueueDepths().inboxUnprocessed, 0, "the three rows were read in one step")
        XCTAssertEqual(events.filter { $0 == "fired" }.count, 2, "the two changes after the first value fire: \(events)")
    }

    func testAnInputWaitsForTheWatermark() async throws {
        let database = try OutcomeDatabase.inMemory()
        let clock = ManualClock(ServiceFixture.start)
        let engine = try await engine(database, clock: clock, window: 2, dispatch: DispatchWake())
        try await ServiceFixture.store(database, level: 15, date: ServiceFixture.start, key: "a")

        _ = try await engine.step()
        XCTAssertEqual(try database.loggedDecisions().count, 0, "held inside the window")
        XCTAssertEqual(try database.runtimeQueueDepths().inboxUnprocessed, 1)
        clock.advance(by: 2)
        _ = try await engine.step()
        XCTAssertEqual(try database.loggedDecisions().count, 1, "observed once the watermark passed it")
    }
}
