import Foundation
import GRDB
import OutcomeStore
import XCTest

/// `InboxCommitter(backgroundCheckpoints: true)`: commits stay durable and complete, the
/// WAL is copied into the database file by the second connection, and the file is sound.
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
}
