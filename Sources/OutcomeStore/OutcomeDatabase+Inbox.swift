import Foundation
import GRDB

extension OutcomeDatabase {
    /// Stores a receiver batch in its own transaction (see `InboxCommitter` to share
    /// one transaction among concurrent requests).
    public func receive(_ batch: IntakeBatch, at receivedAt: Date = Date()) async throws -> IntakeReceipt {
        try await writer.write { db in try Self.receive(batch, at: receivedAt, in: db) }
    }

    /// Stores a batch inside a transaction the caller holds. A notification whose
    /// dedup key is already in the inbox is counted as a duplicate and not stored again.
    public static func receive(_ batch: IntakeBatch, at receivedAt: Date, in db: Database) throws -> IntakeReceipt {
        var receipt = IntakeReceipt()
        if !batch.notifications.isEmpty {
            let insert = try db.cachedStatement(sql: """
                INSERT INTO inbox (receivedAt, dedupKey, vin, type, eventDate, body, processed)
                VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (dedupKey) DO NOTHING
                """)
            for item in batch.notifications {
                try insert.execute(arguments: [receivedAt, item.dedupKey, item.vin, item.type,
                                               item.eventDate, item.body])
                if db.changesCount == 1 {
                    receipt.storedIds.append(db.lastInsertedRowID)
                } else {
                    receipt.duplicates += 1
                }
            }
        }
        for letter in batch.deadLetters {
            var row = DeadLetterRecord(receivedAt: receivedAt, source: letter.source, body: letter.body,
                                       error: letter.error)
            try row.insert(db)
            receipt.deadLetters += 1
        }
        return receipt
    }

    /// Notifications not yet processed, oldest first (optionally for one vehicle).
    public func unprocessedInbox(vin: String? = nil, limit: Int = 1000) throws -> [InboxRecord] {
        try writer.read { db in
            var request = InboxRecord.filter(InboxRecord.Columns.processed == false)
            if let vin { request = request.filter(InboxRecord.Columns.vin == vin) }
            return try request.order(InboxRecord.Columns.id).limit(limit).fetchAll(db)
        }
    }

    /// Marks notifications processed (when no decision step carries them).
    public func markProcessed(_ ids: [Int64], at: Date = Date()) throws {
        try writer.write { db in try Self.markProcessed(ids, at: at, in: db) }
    }

    static func markProcessed(_ ids: [Int64], at: Date, in db: Database) throws {
        _ = try InboxRecord
            .filter(keys: ids)
            .updateAll(db, InboxRecord.Columns.processed.set(to: true), InboxRecord.Columns.processedAt.set(to: at))
    }

    /// Every inbox row, oldest first.
    public func inbox() throws -> [InboxRecord] {
        try writer.read { db in try InboxRecord.order(InboxRecord.Columns.id).fetchAll(db) }
    }

    /// Every dead letter, oldest first.
    public func deadLetters() throws -> [DeadLetterRecord] {
        try writer.read { db in try DeadLetterRecord.order(DeadLetterRecord.Columns.id).fetchAll(db) }
    }

    /// Keeps an item the engine could not use (e.g. a stored notification it cannot decode).
    public func addDeadLetter(source: String, body: String, error: String, at: Date = Date()) throws {
        try writer.write { db in
            var row = DeadLetterRecord(receivedAt: at, source: source, body: body, error: error)
            try row.insert(db)
        }
    }
}
