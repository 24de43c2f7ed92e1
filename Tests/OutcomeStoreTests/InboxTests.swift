import Foundation
import GRDB
import OutcomeStore
import XCTest

final class InboxTests: XCTestCase {
    private static func note(_ key: String, vin: String? = "VF3A") -> IntakeBatch.Notification {
        IntakeBatch.Notification(dedupKey: key, vin: vin, type: "Monitor", eventDate: "2026-03-02T22:00:00Z",
                                 body: #"{"k":"\#(key)"}"#)
    }

    func testStoresNotificationsAndDeadLettersAndRecognisesDuplicates() async throws {
        let store = try OutcomeDatabase.inMemory()
        let first = try await store.receive(IntakeBatch(
            notifications: [Self.note("a"), Self.note("b"), Self.note("a")],
            deadLetters: [.init(source: "webhook", body: "[1", error: "the body is not JSON")]))
        XCTAssertEqual(first.storedIds.count, 2)
        XCTAssertEqual(first.duplicates, 1, "a duplicate inside one batch")
        XCTAssertEqual(first.deadLetters, 1)
        let retry = try await store.receive(IntakeBatch(notifications: [Self.note("b"), Self.note("c")]))
        XCTAssertEqual(retry.duplicates, 1, "the API's retry of b")
        XCTAssertEqual(retry.storedIds.count, 1)
        XCTAssertEqual(try store.inbox().map(\.dedupKey), ["a", "b", "c"])
        XCTAssertEqual(try store.deadLetters().map(\.error), ["the body is not JSON"])
    }

    func testUnprocessedInOrderThenMarkedProcessedByAStep() async throws {
        let store = try OutcomeDatabase.inMemory()
        let receipt = try await store.receive(IntakeBatch(notifications: [Self.note("a"), Self.note("b", vin: "VF3B"), Self.note("c")]))
        XCTAssertEqual(try store.unprocessedInbox().map(\.dedupKey), ["a", "b", "c"])
        XCTAssertEqual(try store.unprocessedInbox(vin: "VF3A").map(\.dedupKey), ["a", "c"])
        try await store.commit(DecisionCommit(scope: "serve", decisions: [Fixtures.fired(0)],
                                        processedInboxIds: [receipt.storedIds[0]]))
        try store.markProcessed([receipt.storedIds[1]])
        XCTAssertEqual(try store.unprocessedInbox().map(\.dedupKey), ["c"])
        XCTAssertNotNil(try store.inbox()[0].processedAt)
    }

    func testGroupCommitSharesTransactionsAmongConcurrentRequests() async throws {
        let path = Fixtures.temporaryDatabasePath()
        defer { Fixtures.cleanup(path) }
        let store = try OutcomeDatabase(path: path)
        let committer = InboxCommitter(database: store)
        let requests = 300
        let receipts = try await withThrowingTaskGroup(of: IntakeReceipt.self) { group in
            for i in 0..<requests {
                group.addTask { try await committer.submit(IntakeBatch(notifications: [Self.note("n\(i % 250)")])) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(receipts.count, requests)
        XCTAssertEqual(receipts.reduce(0) { $0 + $1.storedIds.count }, 250)
        XCTAssertEqual(receipts.reduce(0) { $0 + $1.duplicates }, 50)
        XCTAssertEqual(try store.inbox().count, 250)
        let transactions = await committer.transactionCount
        let batches = await committer.batchCount
        XCTAssertEqual(batches, requests)
        XCTAssertLessThan(transactions, requests, "concurrent requests share transactions")
    }

    func testAFailingGroupFailsOnlyTheBatchThatCannotBeStored() async throws {
        let store = try OutcomeDatabase.inMemory()
        try await store.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refusePoison BEFORE INSERT ON inbox WHEN NEW.dedupKey = 'poison'
                BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END
                """)
        }
        let committer = InboxCommitter(database: store)
        let results = await withTaskGroup(of: (String, Bool).self) { group in
            for key in ["a", "poison", "b", "c"] {
                group.addTask {
                    do {
                        _ = try await committer.submit(IntakeBatch(notifications: [Self.note(key)]))
                        return (key, true)
                    } catch {
                        return (key, false)
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        XCTAssertEqual(results, ["a": true, "poison": false, "b": true, "c": true])
        XCTAssertEqual(try store.inbox().map(\.dedupKey).sorted(), ["a", "b", "c"])
    }
}
