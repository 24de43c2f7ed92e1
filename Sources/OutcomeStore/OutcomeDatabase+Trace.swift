import Foundation
import GRDB

// Bounded inbox reads for `vigie explain` and the console's trace page (docs/explain.md
// "How the state is rebuilt"): one vehicle's rows, and every vehicle's rows received in a
// time window, each through an index (migration `trace-v1-inbox-indexes`) instead of the
// whole inbox.
extension OutcomeDatabase {
    /// The rows of vehicle `vin` (its `vin` column) after inbox row `id`, in id order.
    package func inboxRows(vin: String, after id: Int64) throws -> [InboxRecord] {
        try writer.read { db in
            try InboxRecord.filter(InboxRecord.Columns.vin == vin && InboxRecord.Columns.id > id)
                .order(InboxRecord.Columns.id).fetchAll(db)
        }
    }

    /// Every row (all vehicles) received at or after `from` and at or before `through`, in id order.
    package func inboxRows(receivedFrom from: Date, through: Date) throws -> [InboxRecord] {
        try writer.read { db in
            try InboxRecord.filter(InboxRecord.Columns.receivedAt >= from && InboxRecord.Columns.receivedAt <= through)
                .order(InboxRecord.Columns.id).fetchAll(db)
        }
    }

    /// The VINs the inbox names, sorted (an unknown `--vin`'s nearest match).
    package func inboxVINs() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT vin FROM inbox WHERE vin IS NOT NULL ORDER BY vin")
        }
    }

    /// One vehicle's rows by id, and rows by receiving time.
    static func createTraceIndexes(_ db: Database) throws {
        try db.execute(sql: "CREATE INDEX inbox_vin ON inbox(vin, id)")
        try db.execute(sql: "CREATE INDEX inbox_received ON inbox(receivedAt)")
    }
}

extension OutcomeDatabase {
    /// The engine checkpoint of `scope` and vehicle `vin`'s saved state with it (read
    /// together): what a rebuild of that one vehicle restores.
    package func engineState(scope: String, vin: String) throws -> (checkpoint: EngineCheckpointRecord?, vehicle: Data?) {
        try writer.read { db in
            let checkpoint = try EngineCheckpointRecord.fetchOne(db, key: scope)
            let row = try EngineStateRecord
                .filter(EngineStateRecord.Columns.scope == scope && EngineStateRecord.Columns.vin == vin)
                .fetchOne(db)
            return (checkpoint, row?.state)
        }
    }
}
