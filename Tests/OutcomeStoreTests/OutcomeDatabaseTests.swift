import Foundation
import GRDB
import OutcomeStore
import VehicleData
import XCTest

final class OutcomeDatabaseTests: XCTestCase {
    func testFreshDatabaseHasEveryTable() throws {
        let store = try OutcomeDatabase.inMemory()
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        // v1, then the per-feature migrations: dispatch (remoteEvent), control (control*),
        // notifications (notification*), alerts (alertIncident), manual commands
        // (manualCommand), deployments (deployedMonitor).
        XCTAssertEqual(tables, ["action", "actionAttempt", "alertIncident", "controlEvent", "controlHold", "controlVersion",
                                "deadLetter", "deployedMonitor", "engineCheckpoint", "engineState", "firing", "inbox",
                                "manualCommand", "notificationAttempt", "notificationDelivery", "outbox", "remoteEvent"])
    }

    func testFileDatabaseUsesWALAndFullSynchronous() throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        let store = try OutcomeDatabase(path: path)
        let (mode, sync) = try store.writer.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA synchronous")!)
        }
        XCTAssertEqual(mode, "wal")
        XCTAssertEqual(sync, 2, "synchronous=FULL is 2")
    }

    func testOpenExistingRefusesMissingAndNonDatabaseFiles() throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        XCTAssertThrowsError(try OutcomeDatabase.openExisting(path: path)) { error in
            XCTAssertEqual(error as? OutcomeStoreError, .missingDatabase(path))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a reader must not create the file")
        try Data("this is not sqlite, just text that is long enough to look like a header".utf8)
            .write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try OutcomeDatabase.openExisting(path: path)) { error in
            guard case .unreadableDatabase(let p, _)? = error as? OutcomeStoreError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(p, path)
        }
    }

    func testFiredDecisionStoresActionsAndQueuesRemotes() throws {
        let store = try OutcomeDatabase.inMemory()
        let ids = try store.commit(DecisionCommit(scope: "serve", decisions: [Fixtures.fired(0)]))
        XCTAssertEqual(ids.count, 1)
        let (firings, actions, outbox) = try store.writer.read { db in
            (try FiringRecord.fetchAll(db), try ActionRecord.order(ActionRecord.Columns.position).fetchAll(db),
             try OutboxRecord.fetchAll(db))
        }
        XCTAssertEqual(firings.map(\.event), ["fired"])
        XCTAssertEqual(firings[0].actions,
                       #"[{"remote":{"charging":{"immediate":true}}},{"notify":"VF3A: battery low"}]"#)
        XCTAssertEqual(actions.map(\.kind), ["remote", "notify"])
        XCTAssertEqual(actions.map(\.status), ["queued", "notified"])
        XCTAssertEqual(actions[0].payload, #"{"charging":{"immediate":true}}"#)
        XCTAssertEqual(outbox.count, 1)
        XCTAssertEqual(outbox[0].actionId, actions[0].id)
        XCTAssertEqual(outbox[0].status, .queued)
        XCTAssertEqual(outbox[0].vin, "VF3A")
    }

    func testRecordOnlyDecisionsQueueNothing() throws {
        let store = try OutcomeDatabase.inMemory()
        try store.commit(DecisionCommit(scope: "dry-run", decisions: [Fixtures.fired(0), Fixtures.suppressed(5)],
                                        dispatch: .recordOnly))
        let (actions, outboxCount) = try store.writer.read { db in
            (try ActionRecord.fetchAll(db), try OutboxRecord.fetchCount(db))
        }
        XCTAssertEqual(actions.map(\.status).sorted(), ["notSent", "notified"])
        XCTAssertEqual(outboxCount, 0)
        let suppressed = try store.loggedDecisions().last!
        XCTAssertEqual(suppressed.firing.event, "suppressed")
        XCTAssertEqual(suppressed.firing.reason, "cooldown")
        XCTAssertEqual(suppressed.firing.actions, "[]")
        XCTAssertTrue(suppressed.actionRecords.isEmpty)
    }

    func testAStepIsAllOrNothing() throws {
        let store = try OutcomeDatabase.inMemory()
        try store.writer.write { db in
            try db.execute(sql: "CREATE TEMP TRIGGER failOutbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        }
        let step = DecisionCommit(scope: "serve", decisions: [Fixtures.suppressed(0), Fixtures.fired(1)],
                                  vehicleStates: ["VF3A": Data([1, 2, 3])],
                                  checkpoint: .init(position: 7, at: Fixtures.at(1)))
        XCTAssertThrowsError(try store.commit(step))
        let counts = try store.writer.read { db in
            [try FiringRecord.fetchCount(db), try ActionRecord.fetchCount(db),
             try EngineStateRecord.fetchCount(db), try EngineCheckpointRecord.fetchCount(db)]
        }
        XCTAssertEqual(counts, [0, 0, 0, 0], "nothing of a failed step may remain")
    }

    func testEngineStateAndCheckpointRoundTripAndAreScoped() throws {
        let store = try OutcomeDatabase.inMemory()
        try store.commit(DecisionCommit(scope: "dry-run", vehicleStates: ["A": Data([1]), "B": Data([2])],
                                        checkpoint: .init(position: 3, at: Fixtures.at(3), state: Data([9]))))
        try store.commit(DecisionCommit(scope: "dry-run", vehicleStates: ["A": Data([5])],
                                        checkpoint: .init(position: 4, at: Fixtures.at(4))))
        try store.commit(DecisionCommit(scope: "serve", vehicleStates: ["A": Data([7])]))
        let saved = try store.engineState(scope: "dry-run")
        XCTAssertEqual(saved.vehicles, ["A": Data([5]), "B": Data([2])])
        XCTAssertEqual(saved.checkpoint?.position, 4)
        XCTAssertEqual(saved.checkpoint?.at, Fixtures.at(4))
        XCTAssertNil(saved.checkpoint?.state)
        XCTAssertEqual(try store.engineState(scope: "serve").vehicles, ["A": Data([7])])
        try store.resetEngineState(scope: "dry-run")
        XCTAssertTrue(try store.engineState(scope: "dry-run").vehicles.isEmpty)
        XCTAssertNil(try store.engineState(scope: "dry-run").checkpoint)
        XCTAssertEqual(try store.engineState(scope: "serve").vehicles.count, 1)
    }

    func testDataSurvivesReopeningTheFile() throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        do {
            let store = try OutcomeDatabase(path: path)
            try store.commit(DecisionCommit(scope: "serve", decisions: [Fixtures.fired(0)],
                                            vehicleStates: ["VF3A": Data("state".utf8)]))
        }
        let reopened = try OutcomeDatabase.openExisting(path: path)
        XCTAssertEqual(try reopened.decisionCount(), 1)
        XCTAssertEqual(try reopened.engineState(scope: "serve").vehicles["VF3A"], Data("state".utf8))
    }
}
