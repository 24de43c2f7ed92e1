import Foundation
import GRDB
import OutcomeStore
import Synchronization
import VigieTestSupport
import XCTest

/// Issue 18: `vigie backup --db FILE --to FILE` copies a database that is being written
/// to: the copy passes `PRAGMA integrity_check`, is one file (no `-wal`), and holds an
/// exact prefix of the committed transactions (one row per transaction, no gap, no torn
/// row) while the writer went on during the copy.
final class BackupCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private static func body(_ i: Int) -> String { "{\"row\": \(i), \"pad\": \"" + String(repeating: "x", count: 900) + "\"}" }

    private static func insert(_ db: Database, _ i: Int) throws {
        try db.execute(sql: "INSERT INTO inbox (receivedAt, dedupKey, vin, type, eventDate, body) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [Date(), "k\(i)", "VIN\(i % 7)", "monitor", nil, body(i)])
    }

    func testBackupUnderWriteLoadIsAConsistentPrefix() throws {
        let source = folder.appendingPathComponent("live.sqlite").path
        let database = try OutcomeDatabase(path: source)
        try database.writer.write { db in for i in 1...4000 { try Self.insert(db, i) } }
        // The writer: one row per transaction, as the receiver commits, until told to stop.
        let written = Managed(4000)
        let stop = Managed(false)
        let done = DispatchSemaphore(value: 0)
        let writerError = Managed<(any Error)?>(nil)
        DispatchQueue.global().async {
            defer { done.signal() }
            do {
                while !stop.value {
                    let next = written.value + 1
                    try database.writer.write { db in try Self.insert(db, next) }
                    written.set(next)
                }
            } catch { writerError.set(error) }
        }
        try Self.waitUntil { written.value >= 4050 }  // the writer is running
        let before = written.value
        let copy = folder.appendingPathComponent("copy.sqlite").path
        let result = try CommandRunner.vigie(["backup", "--db", source, "--to", copy])
        let after = written.value
        // Keep writing a little after the copy, then stop.
        try Self.waitUntil { written.value >= after + 20 }
        stop.set(true)
        done.wait()
        XCTAssertNil(writerError.value)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("backed up \(source) to \(copy): "), result.stdout)
        XCTAssertTrue(result.stdout.contains("integrity ok"), result.stdout)
        XCTAssertGreaterThan(after, before, "the writer committed during the backup")
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy + "-wal"), "the copy is a single file")

        let queue = try DatabaseQueue(path: copy)
        try queue.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "PRAGMA integrity_check"), ["ok"])
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA journal_mode"), "delete")
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox") ?? 0
            let maxID = try Int.fetchOne(db, sql: "SELECT MAX(id) FROM inbox") ?? 0
            XCTAssertEqual(count, maxID, "no gap: a prefix of the committed transactions")
            XCTAssertGreaterThanOrEqual(count, before)
            XCTAssertLessThanOrEqual(count, after)
            let bodies = try Row.fetchAll(db, sql: "SELECT id, body FROM inbox")
            for row in bodies where (row["body"] as String) != Self.body(row["id"]) {
                XCTFail("row \(row["id"] as Int) is torn")
                break
            }
            // The copy is a database vigie opens as its own (migrations recorded).
            XCTAssertTrue(try db.tableExists("firing") && db.tableExists("outbox"))
        }
        try queue.close()
        XCTAssertNoThrow(try OutcomeDatabase.openExisting(path: copy))
    }

    /// Polls `condition` (the writer thread moves it) for at most 60 s.
    private static func waitUntil(_ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(60)
        while !condition() {
            guard Date() < deadline else { throw BackupTestTimeout() }
            usleep(1000)
        }
    }

    func testUsageAndFailures() throws {
        let source = folder.appendingPathComponent("db.sqlite").path
        _ = try OutcomeDatabase(path: source)
        let copy = folder.appendingPathComponent("copy.sqlite").path
        XCTAssertEqual(try CommandRunner.vigie(["backup", "--db", source, "--to", copy]).exitCode, 0)
        let exists = try CommandRunner.vigie(["backup", "--db", source, "--to", copy])
        XCTAssertEqual(exists.exitCode, 64)
        XCTAssertTrue(exists.stderr.contains("already exists (pass --force"), exists.stderr)
        XCTAssertEqual(try CommandRunner.vigie(["backup", "--db", source, "--to", copy, "--force"]).exitCode, 0)
        let same = try CommandRunner.vigie(["backup", "--db", source, "--to", source, "--force"])
        XCTAssertEqual(same.exitCode, 64, same.stderr)
        let missing = try CommandRunner.vigie(["backup", "--db", folder.appendingPathComponent("none.sqlite").path, "--to", copy + "2"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("none.sqlite: no such database"), missing.stderr)
        let garbage = folder.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x41, count: 8192).write(to: garbage)
        let broken = try CommandRunner.vigie(["backup", "--db", garbage.path, "--to", copy + "3"])
        XCTAssertEqual(broken.exitCode, 1, broken.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy + "3"), "no half copy under the destination's name")
        let noFolder = try CommandRunner.vigie(["backup", "--db", source, "--to", "/nonexistent-folder/copy.sqlite"])
        XCTAssertEqual(noFolder.exitCode, 64, noFolder.stderr)
        XCTAssertEqual(try CommandRunner.vigie(["backup", "--db", source]).exitCode, 64, "--to is required")
    }
}

/// The writer thread stopped moving (it failed): the test fails instead of hanging.
struct BackupTestTimeout: Error, CustomStringConvertible {
    var description: String { "the writer made no progress for 60 s" }
}

/// A value shared between the writer thread and the test.
final class Managed<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    var value: Value { state.withLock { $0 } }
    func set(_ value: Value) { state.withLock { $0 = value } }
}
