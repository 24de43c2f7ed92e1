import Foundation
import GRDB
@testable import OutcomeStore
import XCTest

/// The inbox's index of unprocessed rows is ordered by id (migration
/// `v2-inbox-unprocessed-by-id`): new rows append to it, and the readers of unprocessed
/// rows use it.
final class InboxIndexTests: XCTestCase {
    private func indexes(_ store: OutcomeDatabase) throws -> [String: [String]] {
        try store.writer.read { db in
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inbox' AND sql IS NOT NULL")
            return try Dictionary(uniqueKeysWithValues: names.map { name in
                (name, try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?)", arguments: [name]))
            })
        }
    }

    func testUnprocessedRowsAreIndexedByIdOnly() throws {
        let store = try OutcomeDatabase.inMemory()
        XCTAssertEqual(try indexes(store), ["inbox_unprocessed_id": ["id"], "inbox_vin": ["vin", "id"], "inbox_received": ["receivedAt"]])
        // One vehicle's rows go through `inbox_vin` (migration `trace-v1-inbox-indexes`).
        for (sql, index) in [("SELECT COUNT(*) FROM inbox WHERE processed = 0", "inbox_unprocessed_id"),
                             ("SELECT * FROM inbox WHERE processed = 0 ORDER BY id LIMIT 10", "inbox_unprocessed_id"),
                             ("SELECT * FROM inbox WHERE processed = 0 AND vin = 'V' ORDER BY id LIMIT 10", "inbox_vin"),
                             ("SELECT * FROM inbox WHERE vin = 'V' AND id > 5 ORDER BY id", "inbox_vin"),
                             ("SELECT * FROM inbox WHERE receivedAt >= '2026' AND receivedAt <= '2027' ORDER BY id",
                              "inbox_received")] {
            let plan = try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
            }
            XCTAssertTrue(plan.contains { $0.contains(index) }, "\(sql): \(plan)")
        }
    }

    func testADatabaseWithTheOldIndexIsMigratedAndKeepsItsRows() async throws {
        let queue = try DatabaseQueue()
        let old = OutcomeDatabase.migrator
        // The schema before this migration, with a row received then.
        let before = old.migrations.prefix { $0 != "v2-inbox-unprocessed-by-id" }
        XCTAssertTrue(old.migrations.contains("v2-inbox-unprocessed-by-id"))
        try old.migrate(queue, upTo: before.last!)
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO inbox (receivedAt, dedupKey, vin, type, eventDate, body, processed)
                VALUES ('2026-03-02 22:00:00.000', 'k1', 'VF3A', 'Monitor', NULL, '{}', 0)
                """)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'inbox_unprocessed'"), 1)
        }
        let store = try OutcomeDatabase(writer: queue)
        XCTAssertEqual(try indexes(store), ["inbox_unprocessed_id": ["id"], "inbox_vin": ["vin", "id"], "inbox_received": ["receivedAt"]])
        XCTAssertEqual(try store.unprocessedInbox(vin: "VF3A").map(\.dedupKey), ["k1"])
    }
}
