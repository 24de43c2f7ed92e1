import Foundation
import Synchronization
import VehicleData
import GRDB
import Logging
import OutcomeStore
import VigieKit
import VigieRuntime
import XCTest

/// Issue 18: `retention:` prunes old processed inbox rows, decisions whose actions are all
/// final (with their actions and attempts) and old finished attempts; rows in use (an
/// unprocessed notification, a command still queued or awaiting its `Done`) stay whatever
/// their age; and the background task runs a pass at start.
final class RetentionTests: XCTestCase {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    private static let day: Double = 86_400

    private func ago(_ days: Double) -> Date { Self.now.addingTimeInterval(-days * Self.day) }

    /// Inbox rows, decisions, actions and attempts of several ages and states.
    private func populated() throws -> OutcomeDatabase {
        let database = try OutcomeDatabase.inMemory()
        try database.writer.write { db in
            func inbox(_ key: String, processedDaysAgo: Double?) throws {
                try db.execute(sql: """
                    INSERT INTO inbox (receivedAt, dedupKey, vin, type, body, processed, processedAt) VALUES (?, ?, 'VIN', 'monitor', '{}', ?, ?)
                    """, arguments: [ago(processedDaysAgo ?? 40), key, processedDaysAgo != nil, processedDaysAgo.map(ago)])
            }
            try inbox("old-processed", processedDaysAgo: 30)
            try inbox("old-unprocessed", processedDaysAgo: nil)
            try inbox("recent", processedDaysAgo: 1)
            func decision(_ rule: String, daysAgo: Double, status: ActionStatus?, attemptDaysAgo: Double? = nil) throws {
                try db.execute(sql: """
                    INSERT INTO firing (at, vin, bundle, rule, event, actions, recordedAt) VALUES (?, 'VIN', 'b', ?, 'fired', '[]', ?)
                    """, arguments: [ago(daysAgo), rule, ago(daysAgo)])
                let firing = db.lastInsertedRowID
                guard let status else { return }
                try db.execute(sql: """
                    INSERT INTO action (firingId, position, kind, vin, payload, status, createdAt, updatedAt) VALUES (?, 0, 'remote', 'VIN', '{}', ?, ?, ?)
                    """, arguments: [firing, status.rawValue, ago(daysAgo), ago(daysAgo)])
                let action = db.lastInsertedRowID
                if let attemptDaysAgo {
                    try db.execute(sql: """
                        INSERT INTO actionAttempt (actionId, attempt, startedAt, finishedAt, outcome) VALUES (?, 1, ?, ?, 'accepted')
                        """, arguments: [action, ago(attemptDaysAgo), ago(attemptDaysAgo)])
                }
            }
            try decision("old-done", daysAgo: 100, status: .succeeded, attemptDaysAgo: 100)
            try decision("old-suppressed", daysAgo: 100, status: nil)
            try decision("old-pending", daysAgo: 100, status: .pending, attemptDaysAgo: 100)
            try decision("mid-done", daysAgo: 50, status: .failed, attemptDaysAgo: 50)
            try decision("recent-done", daysAgo: 1, status: .succeeded, attemptDaysAgo: 1)
        }
        return database
    }

    private func names(_ database: OutcomeDatabase) throws -> (inbox: [String], firings: [String], attempts: Int) {
        try database.writer.read { db in
            (try String.fetchAll(db, sql: "SELECT dedupKey FROM inbox ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT rule FROM firing ORDER BY id"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM actionAttempt") ?? 0)
        }
    }

    func testPruneKeepsWhatIsInUseAndRecent() async throws {
        let database = try populated()
        var pruner = RetentionPruner(database: database,
                                     retention: Retention(inbox: 14 * Self.day, decisions: 90 * Self.day, attempts: 30 * Self.day))
        pruner.batchSize = 1  // several batches per kind
        let pass = try await pruner.prune(now: Self.now)
        let counts = try XCTUnwrap(pass, "SQLite never skips a pass")
        XCTAssertEqual(counts.inbox, 1)
        XCTAssertEqual(counts.decisions, 2, "old-done and old-suppressed")
        // Attempts go first: old-done's (100 d) and mid-done's (50 d); old-pending's stays (not final).
        XCTAssertEqual(counts.attempts, 2)
        let left = try names(database)
        XCTAssertEqual(left.inbox, ["old-unprocessed", "recent"])
        XCTAssertEqual(left.firings, ["old-pending", "mid-done", "recent-done"])
        XCTAssertEqual(left.attempts, 2, "old-pending's and recent-done's")
        try await database.writer.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA foreign_key_check"), [])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM action"), 3, "actions went with their decisions")
        }
        let again = try await pruner.prune(now: Self.now)
        XCTAssertEqual(again, RetentionPruner.Counts(), "a second pass finds nothing")
    }

    func testNothingIsPrunedWithoutRetention() async throws {
        let database = try populated()
        let before = try names(database)
        let counts = try await RetentionPruner(database: database, retention: Retention()).prune(now: Self.now.addingTimeInterval(1e9))
        XCTAssertEqual(counts, RetentionPruner.Counts())
        let after = try names(database)
        XCTAssertEqual(before.inbox, after.inbox)
        XCTAssertEqual(before.firings, after.firings)
    }

    /// The background task prunes at start, then waits `interval` on the runtime's clock.
    func testBackgroundPassAtStart() async throws {
        let database = try populated()
        let pruner = RetentionPruner(database: database, retention: Retention(inbox: 14 * Self.day, interval: 600))
        let clock = OneSleepClock(now: Self.now)
        await pruner.run(clock: clock, logger: Logger(label: "test"))
        XCTAssertEqual(try names(database).inbox, ["old-unprocessed", "recent"])
        XCTAssertEqual(clock.sleptUntil, [Self.now.addingTimeInterval(600)])
    }
}

/// A clock that records the first `sleep` and then cancels (ends `run`).
final class OneSleepClock: VigieClock, Sendable {
    private let start: Date
    private let slept = Mutex<[Date]>([])

    init(now: Date) { start = now }

    func now() -> Date { start }

    func sleep(until: Date) async throws {
        slept.withLock { $0.append(until) }
        throw CancellationError()
    }

    var sleptUntil: [Date] { slept.withLock { $0 } }
}
