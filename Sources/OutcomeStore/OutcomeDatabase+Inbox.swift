import Foundation
import GRDB

extension OutcomeDatabase {
    /// Stores a receiver batch in its own transaction (see `InboxCommitter` to share
    /// one transaction among concurrent requests).
    package func receive(_ batch: IntakeBatch, at receivedAt: Date = Date()) async throws -> IntakeReceipt {
        try await writer.write { db in try Self.receive(batch, at: receivedAt, in: db) }
    }

    /// Stores a batch inside a transaction the caller holds. A notification whose
    /// dedup key is already in the inbox is counted as a duplicate and not stored again.
    package static func receive(_ batch: IntakeBatch, at receivedAt: Date, in db: Database) throws -> IntakeReceipt {
        try receive([batch], at: receivedAt, in: db)[0]
    }

    /// Stores several batches inside a transaction the caller holds (the receiver's group
    /// commit), one receipt per batch in order. Notifications go in with multi-row
    /// `INSERT … ON CONFLICT DO NOTHING RETURNING` statements and the receive instant is
    /// bound once per statement; a dedup key already stored — before, or earlier in
    /// these batches — counts as a duplicate of the batch that repeats it.
    package static func receive(_ batches: [IntakeBatch], at receivedAt: Date, in db: Database) throws -> [IntakeReceipt] {
        let at = StoredDate.value(receivedAt)
        let notifications = batches.flatMap(\.notifications)
        var inserted: [String: Int64] = [:]
        inserted.reserveCapacity(notifications.count)
        var start = 0
        while start < notifications.count {
            let size = insertChunkSize(remaining: notifications.count - start)
            let rows = notifications[start ..< start + size]
            var values: [DatabaseValue] = [at]
            values.reserveCapacity(1 + 5 * size)
            for item in rows {
                values.append(item.dedupKey.databaseValue)
                values.append(item.vin?.databaseValue ?? .null)
                values.append(item.type?.databaseValue ?? .null)
                values.append(item.eventDate?.databaseValue ?? .null)
                values.append(item.body.databaseValue)
            }
            let statement = try db.cachedStatement(sql: insertSQL(rows: size))
            let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(values))
            while let row = try cursor.next() {
                inserted[row[1]] = row[0]
            }
            start += size
        }
        var receipts: [IntakeReceipt] = []
        receipts.reserveCapacity(batches.count)
        for batch in batches {
            var receipt = IntakeReceipt()
            for item in batch.notifications {
                if let id = inserted.removeValue(forKey: item.dedupKey) {
                    receipt.storedIds.append(id)
                } else {
                    receipt.duplicates += 1
                }
            }
            for letter in batch.deadLetters {
                var row = DeadLetterRecord(receivedAt: receivedAt, source: letter.source, body: letter.body,
                                           error: letter.error)
                try row.insert(db)
                receipt.deadLetters += 1
            }
            receipts.append(receipt)
        }
        return receipts
    }

    /// Rows per INSERT statement: powers of two up to 128, so a handful of cached
    /// statements cover every count (and a statement binds at most 641 values).
    private static func insertChunkSize(remaining: Int) -> Int {
        var size = 128
        while size > remaining { size /= 2 }
        return size
    }

    private static func insertSQL(rows: Int) -> String {
        let row = "(?1, ?, ?, ?, ?, ?, 0)"
        return "INSERT INTO inbox (receivedAt, dedupKey, vin, type, eventDate, body, processed) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
            + " ON CONFLICT (dedupKey) DO NOTHING RETURNING id, dedupKey"
    }

    /// Notifications not yet processed, oldest first (optionally for one vehicle).
    package func unprocessedInbox(vin: String? = nil, limit: Int = 1000) throws -> [InboxRecord] {
        try writer.read { db in
            var request = InboxRecord.filter(InboxRecord.Columns.processed == false)
            if let vin { request = request.filter(InboxRecord.Columns.vin == vin) }
            return try request.order(InboxRecord.Columns.id).limit(limit).fetchAll(db)
        }
    }

    /// Marks notifications processed (when no decision step carries them).
    package func markProcessed(_ ids: [Int64], at: Date = Date()) throws {
        try writer.write { db in try Self.markProcessed(ids, at: at, in: db) }
    }

    static func markProcessed(_ ids: [Int64], at: Date, in db: Database) throws {
        // One cached statement per row: this runs at every engine step.
        let mark = try db.cachedStatement(sql: "UPDATE inbox SET processed = 1, processedAt = ? WHERE id = ?")
        let stored = StoredDate.value(at)
        for id in ids { try mark.execute(arguments: [stored, id]) }
    }

    /// Every inbox row, oldest first.
    package func inbox() throws -> [InboxRecord] {
        try writer.read { db in try InboxRecord.order(InboxRecord.Columns.id).fetchAll(db) }
    }

    /// Every dead letter, oldest first.
    package func deadLetters() throws -> [DeadLetterRecord] {
        try writer.read { db in try DeadLetterRecord.order(DeadLetterRecord.Columns.id).fetchAll(db) }
    }

    /// Keeps an item the engine could not use (e.g. a stored notification it cannot decode).
    package func addDeadLetter(source: String, body: String, error: String, at: Date = Date()) throws {
        try writer.write { db in
            var row = DeadLetterRecord(receivedAt: at, source: source, body: body, error: error)
            try row.insert(db)
        }
    }
}
