import Foundation
import OutcomeStore
import VigieTestSupport
import XCTest

/// One writer per database file (`WriterLock`), and claims that can never POST a command
/// twice (`beginAttempt` only takes a queued item of a vehicle with nothing in flight).
final class WriterLockTests: XCTestCase {
    func testASecondWriterIsRefusedWithTheHolderUntilTheFirstIsGone() throws {
        let folder = try TemporaryFolder(prefix: "vigie-writer-lock")
        defer { folder.remove() }
        let database = folder.path("vigie.sqlite")
        let since = Date(timeIntervalSince1970: 1_788_000_000)
        var first: WriterLock? = try WriterLock.acquire(databasePath: database, pid: 4242, now: since)
        XCTAssertEqual(first?.path, database + ".lock")

        XCTAssertThrowsError(try WriterLock.acquire(databasePath: database)) { error in
            XCTAssertEqual(error as? WriterLockError, .inUse(database, "pid 4242 since 2026-08-29T10:40:00Z"))
            XCTAssertEqual("\(error)",
                           "database \(database) in use by pid 4242 since 2026-08-29T10:40:00Z (another vigie serve); stop it first")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: database), "a refused start creates nothing")

        first = nil  // the holder is gone (as when its process ends, kill -9 included)
        let second = try WriterLock.acquire(databasePath: database, pid: 7, now: since)
        XCTAssertEqual(try String(contentsOfFile: second.path, encoding: .utf8), "pid 7 since 2026-08-29T10:40:00Z\n",
                       "the left-over lock file is taken over, its text replaced")
    }

    func testAnUnusableLockFileNamesItsPathAndTheReason() throws {
        XCTAssertThrowsError(try WriterLock.acquire(databasePath: "/nonexistent-folder/vigie.sqlite")) { error in
            XCTAssertEqual("\(error)", "cannot lock /nonexistent-folder/vigie.sqlite.lock: No such file or directory")
        }
    }

    func testACommandIsClaimedOnlyWhileQueuedAndOnlyOneAtATimePerVehicle() throws {
        let store = try OutcomeDatabase.inMemory()
        try store.commit(DecisionCommit(scope: "serve", decisions: [
            Fixtures.fired(0, vin: "A", actions: [.remote(Fixtures.chargeStart), .remote(Fixtures.hornOn)]),
        ]))
        let now = Fixtures.at(0)
        let first = try XCTUnwrap(try store.nextDispatchItems(at: now).first)
        XCTAssertEqual(try store.beginAttempt(outboxId: first.outboxId, at: now), 1)
        // The same item read before the claim (a second loop, a stale read) is not claimed again.
        XCTAssertThrowsError(try store.beginAttempt(outboxId: first.outboxId, at: now)) { error in
            XCTAssertEqual(error as? OutcomeStoreError, .notClaimable(first.outboxId, "it is inFlight, not queued"))
        }
        // The vehicle's next command waits for the one in flight, even when asked for directly.
        let all = try store.loggedDecisions()[0].actionRecords
        XCTAssertEqual(all.count, 2)
        let hornOutbox = first.outboxId + 1
        XCTAssertThrowsError(try store.beginAttempt(outboxId: hornOutbox, at: now)) { error in
            XCTAssertEqual(error as? OutcomeStoreError, .notClaimable(hornOutbox, "another command of A is in flight"))
        }
        XCTAssertEqual(try store.attempts(actionId: first.actionId).count, 1, "one attempt, one POST")
    }
}
