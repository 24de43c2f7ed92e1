import Foundation
import GRDB
@testable import OutcomeStore
import XCTest

/// The dispatcher's reads by status go through `outbox_on_status_id` (migration
/// `dispatch-v3-outbox-by-status`), not a scan of every command ever sent.
final class OutboxIndexTests: XCTestCase {
    func testTheNextQueuedAndTheInFlightCommandsAreFoundByStatus() throws {
        let store = try OutcomeDatabase.inMemory()
        // The two reads of `OutcomeDatabase+DispatchQueue.swift`.
        let next = OutcomeDatabase.dispatchSelect + """

            WHERE o.status = 'queued' AND (o.notBefore IS NULL OR o.notBefore <= ?)
              AND o.id = (SELECT MIN(q.id) FROM outbox q WHERE q.vin = o.vin AND q.status = 'queued')
              AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.vin = o.vin AND x.status = 'inFlight')
            ORDER BY o.id LIMIT ?
            """
        let inFlight = OutcomeDatabase.dispatchSelect + "\nWHERE o.status = 'inFlight' ORDER BY o.id"
        let reads: [(sql: String, arguments: StatementArguments)] = [
            (next, ["2026-03-02 22:00:00.000", 10]), (inFlight, []),
        ]
        for (sql, arguments) in reads {
            let steps: [String] = try store.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { row in row["detail"] }
            }
            XCTAssertTrue(steps.contains { $0.contains("SEARCH o USING INDEX outbox_on_status_id") }, "\(sql): \(steps)")
            XCTAssertFalse(steps.contains { $0.hasPrefix("SCAN o") }, "\(sql): \(steps)")
        }
    }
}
