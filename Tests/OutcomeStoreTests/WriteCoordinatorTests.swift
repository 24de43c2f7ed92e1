import Foundation
import GRDB
import OutcomeStore
import XCTest

final class WriteCoordinatorTests: XCTestCase {
    /// A part's own error; for an SQLite error, `part` is minus its primary result code.
    private struct Refused: Error, Equatable { var part: Int }

    /// A file database with a scratch table `t(part)`, and its coordinator.
    private func makeStore() throws -> (OutcomeDatabase, String) {
        let path = Fixtures.temporaryDatabasePath()
        let store = try OutcomeDatabase(path: path)
        try store.writer.write { db in try db.execute(sql: "CREATE TABLE t (part INTEGER NOT NULL)") }
        return (store, path)
    }

    /// Holds the writer until the returned semaphore is signalled, so that what is
    /// submitted meanwhile queues up.
    private func holdWriter(_ store: OutcomeDatabase) -> DispatchSemaphore {
        let release = DispatchSemaphore(value: 0)
        let held = DispatchSemaphore(value: 0)
        store.writer.asyncWriteWithoutTransaction { _ in
            held.signal()
            release.wait()
        }
        held.wait()
        return release
    }

    /// Submits `count` parts while the writer is held (part `i` inserts `i`, then runs
    /// `extra`), releases the writer once all wait, and returns each part's outcome.
    private func submitWhileHeld(_ store: OutcomeDatabase, count: Int,
                                 extra: @escaping @Sendable (Int, Database) throws -> Void = { _, _ in })
        async -> [Int: Result<Int, Refused>] {
        let release = holdWriter(store)
        let coordinator = store.coordinator
        return await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
            for i in 0..<count {
                group.addTask {
                    do {
                        let value = try await coordinator.write { db -> Int in
                            try db.execute(sql: "INSERT INTO t (part) VALUES (?)", arguments: [i])
                            try extra(i, db)
                            return i * 10
                        }
                        return (i, .success(value))
                    } catch let refused as Refused {
                        return (i, .failure(refused))
                    } catch {
                        let code = (error as? DatabaseError)?.resultCode.primaryResultCode.rawValue ?? 1
                        return (i, .failure(Refused(part: -Int(code))))
                    }
                }
            }
            while coordinator.waiting < count { await Task.yield() }
            release.signal()
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    private func storedParts(_ store: OutcomeDatabase) throws -> [Int] {
        // A second connection: only what is committed.
        try store.writer.read { db in try Int.fetchAll(db, sql: "SELECT part FROM t ORDER BY part") }
    }

    func testPartsQueuedMeanwhileShareOneTransaction() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        let before = store.coordinator.counts
        let results = await submitWhileHeld(store, count: 20)
        XCTAssertEqual(results.count, 20)
        for i in 0..<20 { XCTAssertEqual(results[i], .success(i * 10), "each part gets its own result") }
        XCTAssertEqual(try storedParts(store), Array(0..<20))
        let after = store.coordinator.counts
        XCTAssertEqual(after.transactions - before.transactions, 1, "20 parts queued behind one write: one commit")
        XCTAssertEqual(after.parts - before.parts, 20)
    }

    func testAFailingPartRollsBackAloneAndGetsItsOwnError() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        let before = store.coordinator.counts
        let results = await submitWhileHeld(store, count: 6) { i, db in
            guard i == 2 || i == 4 else { return }
            try db.execute(sql: "INSERT INTO t (part) VALUES (?)", arguments: [100 + i])   // rolled back too
            throw Refused(part: i)
        }
        XCTAssertEqual(results[2], .failure(Refused(part: 2)))
        XCTAssertEqual(results[4], .failure(Refused(part: 4)))
        for i in [0, 1, 3, 5] { XCTAssertEqual(results[i], .success(i * 10)) }
        XCTAssertEqual(try storedParts(store), [0, 1, 3, 5], "nothing of a refused part is stored, all of the others")
        XCTAssertEqual(store.coordinator.counts.transactions - before.transactions, 1)
        XCTAssertEqual(store.coordinator.counts.aloneRetries, before.aloneRetries)
    }

    func testALostTransactionRunsEachPartAlone() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        let before = store.coordinator.counts
        // Part 1 ends the whole transaction (as SQLite does on some I/O errors): the parts
        // written before it are lost with it, so each part runs again in its own.
        let results = await submitWhileHeld(store, count: 4) { i, db in
            if i == 1 { try db.execute(sql: "ROLLBACK") }
        }
        for i in [0, 2, 3] { XCTAssertEqual(results[i], .success(i * 10)) }
        guard case .failure = results[1] else { return XCTFail("the part that ended the transaction fails") }
        XCTAssertEqual(try storedParts(store), [0, 2, 3])
        XCTAssertEqual(store.coordinator.counts.aloneRetries - before.aloneRetries, 1)
    }

    func testAPartThatFillsTheDiskFailsAloneWithSQLiteFull() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        try await store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE blob (b BLOB NOT NULL)")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages + 4)")   // a nearly full disk
        }
        let results = await submitWhileHeld(store, count: 3) { i, db in
            guard i == 1 else { return }
            try db.execute(sql: "INSERT INTO blob (b) VALUES (zeroblob(1000000))")
        }
        XCTAssertEqual(results[0], .success(0))
        XCTAssertEqual(results[2], .success(20))
        XCTAssertEqual(results[1], .failure(Refused(part: -Int(ResultCode.SQLITE_FULL.rawValue))),
                       "the part that did not fit gets its own error")
        XCTAssertEqual(try storedParts(store), [0, 2])
    }

    func testAResultIsReturnedOnlyOnceCommitted() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        for i in 0..<50 {
            _ = try await store.coordinator.write { db in
                try db.execute(sql: "INSERT INTO t (part) VALUES (?)", arguments: [i])
            }
            XCTAssertEqual(try storedParts(store).last, i, "visible to another connection when write returns")
        }
    }

    func testConcurrentWritersAllLandInOrderPerCaller() async throws {
        let (store, path) = try makeStore()
        defer { Fixtures.cleanup(path) }
        let before = store.coordinator.counts
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<8 {
                group.addTask {
                    for i in 0..<25 {
                        _ = try await store.coordinator.write { db in
                            try db.execute(sql: "INSERT INTO t (part) VALUES (?)", arguments: [w * 1000 + i])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try await store.writer.read { db in try Int.fetchAll(db, sql: "SELECT part FROM t ORDER BY rowid") }
        XCTAssertEqual(stored.count, 200)
        for w in 0..<8 {
            XCTAssertEqual(stored.filter { $0 / 1000 == w }, (0..<25).map { w * 1000 + $0 }, "each caller's writes in its order")
        }
        XCTAssertEqual(store.coordinator.counts.parts - before.parts, 200)
    }
}
