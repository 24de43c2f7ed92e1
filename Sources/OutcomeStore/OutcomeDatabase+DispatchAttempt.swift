import Foundation
import GRDB

// The dispatcher's attempts: one opened before each POST of a command (the other
// moves of a command are in `OutcomeDatabase+DispatchQueue.swift`).
extension OutcomeDatabase {
    /// Claims an outbox item — marks it in flight — and opens a new attempt for its
    /// action; returns the attempt number (1 for the first). Call it before the POST.
    ///
    /// The claim is conditional: an item that is not `queued` any more (another path or
    /// process claimed or finished it since it was read), or whose vehicle has another
    /// command in flight, throws `notClaimable`, so no code path can POST a command twice
    /// or two commands to one vehicle at once.
    package func beginAttempt(outboxId: Int64, at now: Date = Date()) throws -> Int {
        try writer.write { db in try Self.claim(outboxId: outboxId, at: now, in: db) }
    }

    /// `beginAttempt` inside the caller's transaction: it throws before writing anything
    /// when the item cannot be claimed, so a caller may go on with other claims.
    package static func claim(outboxId: Int64, at now: Date, in db: Database) throws -> Int {
        // One conditional update (a cached statement: this runs for every command): the
        // item goes in flight only while queued and while its vehicle has none in flight.
        let move = try db.cachedStatement(sql: """
            UPDATE outbox SET status = 'inFlight', updatedAt = ?
            WHERE id = ? AND status = 'queued'
              AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.vin = outbox.vin AND x.status = 'inFlight')
            RETURNING actionId
            """)
        let at = StoredDate.value(now)
        guard let actionId = try Int64.fetchOne(move, arguments: [at, outboxId]) else {
            throw try refusal(outboxId, in: db)   // nothing was written
        }
        let open = try db.cachedStatement(sql: """
            UPDATE action SET attempts = attempts + 1, status = 'sending', updatedAt = ? WHERE id = ?
            RETURNING attempts
            """)
        guard let attempts = try Int.fetchOne(open, arguments: [at, actionId]) else {
            // The outbox row's action is a foreign key: unreachable but for a damaged file.
            // Not an `OutcomeStoreError`, so the caller's whole transaction rolls back.
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "outbox item \(outboxId) has no action \(actionId)")
        }
        try db.cachedStatement(sql: """
            INSERT INTO actionAttempt (actionId, attempt, startedAt, outcome) VALUES (?, ?, ?, 'sending')
            """).execute(arguments: [actionId, attempts, at])
        return attempts
    }

    /// Why `outboxId` could not be claimed (the claim's slow path).
    private static func refusal(_ outboxId: Int64, in db: Database) throws -> OutcomeStoreError {
        guard let item = try OutboxRecord.fetchOne(db, key: outboxId) else {
            return .unknownOutboxItem(outboxId)
        }
        guard item.status == .queued else {
            return .notClaimable(outboxId, "it is \(item.status.rawValue), not queued")
        }
        return .notClaimable(outboxId, "another command of \(item.vin) is in flight")
    }

    /// Every attempt at an action, in order.
    package func attempts(actionId: Int64) throws -> [ActionAttemptRecord] {
        try writer.read { db in
            try ActionAttemptRecord.filter(ActionAttemptRecord.Columns.actionId == actionId)
                .order(ActionAttemptRecord.Columns.attempt).fetchAll(db)
        }
    }
}
