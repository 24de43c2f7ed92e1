import Foundation
import GRDB
import OutcomeStore
import VigieTestSupport
import XCTest

/// The WAL drains of `InboxCommitter`'s checkpointer: with the receiver and another writer
/// (as the engine, through the shared transactions, which never start a checkpoint) both
/// writing without pause, the WAL stays under its limit, each drain is one passive
/// checkpoint on the writer connection that copies every frame left, and a reader
/// holding an old snapshot neither holds the writers nor gets a drain per commit.
final class WALDrainTests: XCTestCase {
    private static let padding = String(repeating: "w", count: 600)

    private static func batch(_ key: String, count: Int = 25) -> IntakeBatch {
        IntakeBatch(notifications: (0..<count).map { k in
            IntakeBatch.Notification(dedupKey: "\(key)-\(k)", vin: "V\(k % 7)", type: "Monitor", eventDate: nil,
                                     body: #"{"n":\#(k),"pad":"\#(padding)"}"#)
        })
    }

    func testTwoWritersKeepTheWALUnderItsLimitAndEachDrainIsOnePass() async throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        let limit = 256 << 10
        let producers = 4, requestsEach = 100, engineWrites = 400
        do {
            let store = try OutcomeDatabase(path: path)
            let committer = InboxCommitter(database: store, walSizeLimit: limit)
            let watcher = WALSizeWatch(path: path + "-wal")
            let stored = try await withThrowingTaskGroup(of: Int.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        var count = 0
                        for request in 0..<requestsEach {
                            count += try await committer.submit(Self.batch("p\(producer)-r\(request)")).storedIds.count
                            watcher.note()
                        }
                        return count
                    }
                }
                // The other writer: shared transactions that no checkpoint follows.
                group.addTask {
                    var count = 0
                    for write in 0..<engineWrites {
                        count += try await store.appendIntake([Self.batch("e\(write)")], at: Date())[0].storedIds.count
                        watcher.note()
                    }
                    return count
                }
                return try await group.reduce(0, +)
            }
            await committer.checkpointsSettled()
            let total = (producers * requestsEach + engineWrites) * 25
            XCTAssertEqual(stored, total)
            XCTAssertGreaterThan(total * 700, 10 * limit, "the load writes many times the limit")
            let counts = store.walCheckpoints.counts
            let drains = store.walCheckpoints.drains
            XCTAssertGreaterThan(counts.drains, 0, "the WAL passed its limit and was drained")
            XCTAssertEqual(drains.count, counts.drains)
            XCTAssertEqual(counts.incompleteDrains, 0, "no reader: every drain copies every frame")
            for drain in drains {
                XCTAssertTrue(drain.complete, "one pass on the writer copied every frame although two writers write")
                XCTAssertGreaterThan(drain.walBytes, limit)
            }
            let drainCount = await committer.walDrainCount
            XCTAssertEqual(drainCount, counts.drains)
            XCTAssertGreaterThan(counts.checkpoints, 0)
            // Past the limit by at most what the writers add during one background
            // checkpoint (a few transactions of 25 notifications and their index pages;
            // without drains the WAL would end at about 60 times the limit).
            XCTAssertLessThanOrEqual(watcher.largest, 8 * limit, "largest WAL \(watcher.largest) bytes")
            XCTAssertEqual(try store.inbox().count, total)
        }
        let reopened = try OutcomeDatabase(path: path)
        XCTAssertEqual(try reopened.inbox().count, (producers * requestsEach + engineWrites) * 25)
        let check = try await reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, "ok")
    }

    /// A reader in a read transaction keeps every frame after its snapshot in the WAL. The
    /// writers go on (a passive checkpoint never waits for a reader), each drain is still
    /// one pass, drains alternate with background checkpoints instead of following every
    /// commit, and once the reader is gone a drain copies everything and the WAL starts over.
    func testAReaderHoldingASnapshotNeverHoldsTheWriters() async throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        let limit = 64 << 10
        let store = try OutcomeDatabase(path: path)
        let committer = InboxCommitter(database: store, walSizeLimit: limit)
        _ = try await committer.submit(Self.batch("first"))
        let inRead = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let reader = Task.detached {
            try store.writer.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox")   // the snapshot starts here
                inRead.signal()
                release.wait()
            }
        }
        await withCheckedContinuation { done in DispatchQueue.global().async { inRead.wait(); done.resume() } }
        for round in 0..<40 {
            _ = try await committer.submit(Self.batch("r\(round)"))
            _ = try await store.appendIntake([Self.batch("e\(round)")], at: Date())
        }
        await committer.checkpointsSettled()
        let walDuringRead = WALSizeWatch.size(of: path + "-wal")
        XCTAssertGreaterThan(walDuringRead, 4 * limit, "the writers went on past the limit while the reader held it")
        let during = store.walCheckpoints.counts
        XCTAssertGreaterThan(during.incompleteDrains, 0, "drains were tried and could not copy past the snapshot")
        XCTAssertLessThanOrEqual(during.drains, during.checkpoints + 1,
                                 "a drain waits for a background checkpoint after the last one")
        release.signal()
        try await reader.value
        // Once the reader is gone, a drain copies every frame and a transaction rewinds
        // the WAL (each commit kicks the checkpointer; a bounded number of them suffices).
        var rounds = 0
        while WALSizeWatch.size(of: path + "-wal") > limit, rounds < 200 {
            _ = try await committer.submit(Self.batch("after\(rounds)", count: 1))
            await committer.checkpointsSettled()
            rounds += 1
        }
        XCTAssertLessThanOrEqual(WALSizeWatch.size(of: path + "-wal"), limit, "the WAL started over after \(rounds) commits")
        XCTAssertTrue(store.walCheckpoints.drains.contains(where: \.complete))
        XCTAssertEqual(try store.inbox().count, 25 + 40 * 50 + rounds)
        let check = try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, "ok")
    }
}
