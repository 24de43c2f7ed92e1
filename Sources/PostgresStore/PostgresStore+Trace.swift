import Foundation
import OutcomeStore
import PostgresNIO

// Bounded inbox reads for `vigie explain` and the console's trace page, on PostgreSQL: the
// same answers as `OutcomeDatabase+Trace.swift` (`RuntimeStoreConformance+Trace`), through
// the indexes of migration `trace-v1`.
extension PostgresStore {
    /// The schema of these reads: one vehicle's rows by id, and rows by receiving time.
    static let traceV1 = [
        "CREATE INDEX inbox_vin ON inbox (vin, id)",
        "CREATE INDEX inbox_received ON inbox (received_at)",
    ]

    package func inboxRows(vin: String, after id: Int64) async throws -> [InboxRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT id, received_at, dedup_key, vin, type, event_date, body, processed, processed_at FROM inbox
                WHERE vin = \(vin) AND id > \(id) ORDER BY id
                """).map(Self.inboxRecord)
        }
    }

    package func inboxRows(receivedFrom from: Date, through: Date) async throws -> [InboxRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT id, received_at, dedup_key, vin, type, event_date, body, processed, processed_at FROM inbox
                WHERE received_at >= \(from) AND received_at <= \(through) ORDER BY id
                """).map(Self.inboxRecord)
        }
    }
}
