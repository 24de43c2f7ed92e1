import Foundation
import GRDB
import OutcomeStore
import VigieTestSupport
import XCTest

/// `InboxCommitter`'s background checkpoints (the default for a file): commits stay durable
/// and complete, the WAL is copied into the database file by the second connection, stays
/// under its size limit under a sustained load, and the file is sound.
final class BackgroundCheckpointTests: XCTestCase {
    func testCommitsAreCompleteAndTheWALIsCheckpointedBesideTheWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-ckpt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("inbox.sqlite").path
        do {
            let store = try OutcomeDatabase(path: path)
            let committer = InboxCommitter(database: store, backgroundCheckpoints: true)
            let autoCheckpoint = try await store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
            XCTAssertEqual(autoCheckpoint, 1000, "readers keep their own setting")
            let receipts = try await withThrowingTaskGroup(of: IntakeReceipt.self) { group in
                for request in 0..<200 {
                    group.addTask {
                        let notes = (0..<20).map { k in
                            IntakeBatch.Notification(dedupKey: "k\(request)-\(k % 15)", vin: "V\(k)", type: "Monitor",
                                                     eventDate: nil, body: #"{"n":\#(request * 20 + k)}"#)
                        }
                        return try await committer.submit(IntakeBatch(notifications: notes))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            XCTAssertEqual(receipts.reduce(0) { $0 + $1.storedIds.count }, 200 * 15)
            XCTAssertEqual(receipts.reduce(0) { $0 + $1.duplicates }, 200 * 5)
            await committer.checkpointsSettled()
            let checkpoints = await committer.checkpointCount
            XCTAssertGreaterThan(checkpoints, 0)
            XCTAssertEqual(try store.inbox().count, 3000)
        }
        // Reopened: every committed row is there and the file is sound.
        let reopened = try OutcomeDatabase(path: path)
        XCTAssertEqual(try reopened.inbox().count, 3000)
        let check = try await reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, "ok")
    }

    func testSustainedLoadKeepsTheWALUnderItsLimitAndLosesNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("inbox.sqlite").path
        let limit = 256 << 10
        let producers = 6, requestsEach = 60, perRequest = 25
        let padding = String(repeating: "x", count: 600)
        do {
            let store = try OutcomeDatabase(path: path)
            let committer = InboxCommitter(database: store, walSizeLimit: limit)
            let watcher = WALSizeWatch(path: path + "-wal")
            let sampling = Task.detached { await watcher.sample() }
            // Producers that keep the writer busy: each submits as soon as its last batch is in.
            let stored = try await withThrowingTaskGroup(of: Int.self) { group in
                for producer in 0..<producers {
                    group.addTask {
                        var count = 0
                        for request in 0..<requestsEach {
                            let notes = (0..<perRequest).map { k in
                                IntakeBatch.Notification(dedupKey: "p\(producer)-r\(request)-\(k)", vin: "V\(k % 7)",
                                                         type: "Monitor", eventDate: nil,
                                                         body: #"{"n":\#(k),"pad":"\#(padding)"}"#)
                            }
                            count += try await committer.submit(IntakeBatch(notifications: notes)).storedIds.count
                            watcher.note()
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            sampling.cancel()
            let total = producers * requestsEach * perRequest
            XCTAssertEqual(stored, total)
            let written = total * 700
            XCTAssertGreaterThan(written, 10 * limit, "the load writes many times the limit")
            let drains = await committer.walDrainCount
            XCTAssertGreaterThan(drains, 0, "the WAL was drained at least once")
            // The WAL never passed the limit by more than a few transactions (those written
            // while a background checkpoint ran, of at most `producers` requests of about
            // 25 × 700 bytes each, with their index pages).
            XCTAssertLessThanOrEqual(watcher.largest, 4 * limit, "largest WAL \(watcher.largest) bytes")
            XCTAssertEqual(try store.inbox().count, total)
        }
        let reopened = try OutcomeDatabase(path: path)
        XCTAssertEqual(try reopened.inbox().count, producers * requestsEach * perRequest)
        let check = try await reopened.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, "ok")
    }
}

extension BackgroundCheckpointTests {
    /// A reader that holds an old snapshot keeps the checkpoints from copying the frames
    /// after it: the writer is held for at most one passive checkpoint per drain and goes
    /// on (the WAL grows past the limit rather than the receiver stopping), and nothing is
    /// lost.
    func testAReaderHoldingASnapshotDoesNotStopTheWriter() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try OutcomeDatabase(path: directory.appendingPathComponent("inbox.sqlite").path)
        let limit = 64 << 10
        let committer = InboxCommitter(database: store, walSizeLimit: limit)
        let padding = String(repeating: "y", count: 800)
        func submit(_ request: Int) async throws -> Int {
            let notes = (0..<20).map { k in
                IntakeBatch.Notification(dedupKey: "r\(request)-\(k)", vin: "V", type: "Monitor", eventDate: nil,
                                         body: #"{"k":\#(k),"pad":"\#(padding)"}"#)
            }
            return try await committer.submit(IntakeBatch(notifications: notes)).storedIds.count
        }
        _ = try await submit(0)
        let inRead = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let reader = Task.detached {
            try store.writer.read { db in
                _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox")  // the snapshot starts here
                inRead.signal()
                release.wait()
            }
        }
        await withCheckedContinuation { done in DispatchQueue.global().async { inRead.wait(); done.resume() } }
        var stored = 20
        for request in 1...40 { stored += try await submit(request) }
        let walDuringRead = (try FileManager.default.attributesOfItem(atPath: store.path! + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        XCTAssertGreaterThan(walDuringRead, 4 * limit, "the writer went on past the limit while the reader held it")
        release.signal()
        try await reader.value
        XCTAssertEqual(stored, 41 * 20)
        let drains = await committer.walDrainCount
        XCTAssertGreaterThan(drains, 0)
        XCTAssertEqual(try store.inbox().count, 41 * 20)
        // Once the reader is gone, the next pause copies everything and the WAL starts over.
        for request in 41...60 {
            _ = try await submit(request)
            await committer.checkpointsSettled()   // the checkpoint the commit started, and a drain
        }
        let wal = try FileManager.default.attributesOfItem(atPath: store.path! + "-wal")[.size] as? NSNumber
        XCTAssertLessThanOrEqual(wal?.intValue ?? .max, 2 * limit, "the WAL started over after the reader left")
        let check = try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(check, "ok")
    }
}
