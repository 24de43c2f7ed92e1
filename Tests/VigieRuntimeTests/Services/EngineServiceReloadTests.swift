import Foundation
import GRDB
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData
import XCTest
@testable import VigieRuntime

/// A step whose commit fails, then a reload that fails too (PostgreSQL's connections
/// killed by the server: every statement of the pool fails for a moment). The engine in
/// memory has observed rows that were not committed; the next step reads them again. It
/// must not observe them a second time on that engine — a `changed` rule saw no change,
/// a rule's rise was already spent, and their decisions were lost (the `vigie migrate`
/// chaos run's missing and extra decisions after "cannot reload the engine state").
final class EngineServiceReloadTests: XCTestCase {
    func testAStepAfterAFailedReloadStartsFromTheSavedState() async throws {
        let database = try OutcomeDatabase.inMemory()
        let clock = ManualClock(ServiceFixture.start.addingTimeInterval(10))
        let engine = try await ServiceFixture.levelChangedEngine(database, clock: clock)
        try await ServiceFixture.store(database, level: 50, date: ServiceFixture.start, key: "a")
        _ = try await engine.step()
        try await engine.flush()
        XCTAssertEqual(try database.runtimeQueueDepths().inboxUnprocessed, 0, "the first value is committed")

        // 50 → 51: observed, then the commit fails, and so does the reload.
        try await ServiceFixture.store(database, level: 51, date: ServiceFixture.start.addingTimeInterval(1), key: "b")
        try await database.writer.write { try $0.execute(sql: "ALTER TABLE engineCheckpoint RENAME TO engineCheckpointAway") }
        do {
            _ = try await engine.step()
            XCTFail("the step's commit cannot write its checkpoint")
        } catch {}
        await engine.reload()
        XCTAssertEqual(try database.loggedDecisions().count, 0, "nothing was committed")

        // The store is back: the row is read again and decided once, from the saved state.
        try await database.writer.write { try $0.execute(sql: "ALTER TABLE engineCheckpointAway RENAME TO engineCheckpoint") }
        _ = try await engine.step()
        try await engine.flush()
        XCTAssertEqual(try database.runtimeQueueDepths().inboxUnprocessed, 0)
        XCTAssertEqual(try database.loggedDecisions().map(\.decision.event.rawValue), ["fired"],
                       "50 → 51 changed the level once")
    }
}
