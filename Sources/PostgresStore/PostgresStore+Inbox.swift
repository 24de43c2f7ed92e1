import Foundation
import OutcomeStore
import PostgresNIO

extension PostgresStore {
    /// Stores the batches in one transaction: one multi-row `INSERT … ON CONFLICT
    /// (dedup_key) DO NOTHING RETURNING` for the notifications, committed with
    /// `synchronous_commit = on` before the receiver answers.
    ///
    /// **Commit order.** Sequence values are taken when a row is inserted, not when its
    /// transaction commits: with concurrent receivers, id 11 can be visible while id 10
    /// is still uncommitted, and an engine that read "everything after 10" and moved on
    /// to 11 would never see 10. So ids do not come from a sequence: each intake
    /// transaction first takes the next ids from the single `inbox_counter` row with an
    /// `UPDATE`, which locks that row until the transaction ends. A second receiver's
    /// `UPDATE` waits for the first to commit (or roll back) and then reads the counter
    /// it left, so whichever transaction holds ids below another's has committed — and,
    /// PostgreSQL releasing row locks only once the commit is visible, is visible — before
    /// the other can even take its ids. Hence a snapshot that sees a row sees every
    /// committed row with a smaller id, and `unprocessedInbox(after:)` never skips one.
    /// (Rows also keep `pg_current_xact_id()` in `xid`, for diagnosis.) The price is that
    /// intake transactions commit one at a time across instances; each carries a whole
    /// group of requests (`InboxCommitter`), so that is one WAL flush per group.
    /// Duplicates leave gaps in the ids, which is harmless.
    ///
    /// **Closed connections.** The pool can hand out a connection the server has closed
    /// and the client has not noticed yet: an instance resumed after a freeze (SIGSTOP)
    /// finds the connections that `idle_in_transaction_session_timeout` or a
    /// `pg_terminate_backend` ended meanwhile. A transaction that fails because its
    /// connection closed (`isClosedConnection`) is run again on another connection, up to
    /// `intakeAttempts` in all, before the error reaches the receiver (a 503). That is safe
    /// because the insert is idempotent on the dedup key: if the lost COMMIT had committed,
    /// the next attempt stores nothing and reports those notifications as duplicates: the
    /// request then does not wake the engine, which reads the rows at its next wake (the
    /// next stored batch, a timer, the sweep), and nothing is counted twice (the failed
    /// attempt's receipt is never returned). Any other error
    /// (a refused statement, a full disk, a server refusing connections) fails at once.
    package func appendIntake(_ batches: [IntakeBatch], at receivedAt: Date) async throws -> [IntakeReceipt] {
        var attempt = 1
        while true {
            do {
                return try await storeIntake(batches, at: receivedAt)
            } catch where attempt < Self.intakeAttempts && Self.isClosedConnection(error) {
                logger.warning("intake on a closed connection; retrying on another",
                               metadata: ["attempt": "\(attempt)", "error": "\(Self.closedReason(error))"])
                attempt += 1
            }
        }
    }

    /// Attempts of one intake whose connections were found closed. After a freeze every
    /// idle connection of the pool may be closed, and the pool learns of each close only when
    /// its event loop reads it, so a retry can be handed the next closed one (the test with 4
    /// closed connections failed 2 runs in 3 with 3 attempts). Each failed attempt takes one
    /// closed connection out of the pool without waiting on the server, so the pool's size
    /// plus one (`PostgresSettings.maximumConnections`' default, 20, + 1) reaches an open
    /// one; a bigger pool may still answer 503 once after a freeze (the API retries).
    static let intakeAttempts = 21

    /// Whether `error` says the connection closed under the statement (its outcome unknown,
    /// nothing of an uncommitted transaction kept): the watch's `ConnectionClosedError`,
    /// postgres-nio's closed-connection and I/O errors, or the server ending the session
    /// (`57P01` admin_shutdown: `pg_terminate_backend`).
    static func isClosedConnection(_ error: any Error) -> Bool {
        if error is ConnectionClosedError { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return true
        case .server:
            return error.sqlState == "57P01"
        default:
            return false
        }
    }

    /// What closed the connection, for the log (never the statement nor its values).
    static func closedReason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        return error.sqlState.map { "\(error.code) \($0)" } ?? "\(error.code)"
    }

    private func storeIntake(_ batches: [IntakeBatch], at receivedAt: Date) async throws -> [IntakeReceipt] {
        try await transaction { db in
            let notifications = batches.flatMap(\.notifications)
            var inserted: [String: Int64] = [:]
            if !notifications.isEmpty {
                guard let last = try await db.value(
                    "UPDATE inbox_counter SET last = last + \(Int64(notifications.count)) WHERE id = 1 RETURNING last",
                    as: Int64.self) else { throw PostgresStoreError.corrupt("inbox_counter has no row") }
                var first = last - Int64(notifications.count) + 1
                var start = 0
                while start < notifications.count {
                    let rows = notifications[start ..< min(start + 1000, notifications.count)]
                    var binds = PostgresBindings(capacity: 1 + 7 * rows.count)
                    binds.append(receivedAt)
                    var values: [String] = []
                    values.reserveCapacity(rows.count)
                    for (offset, item) in rows.enumerated() {
                        let base = 2 + offset * 7
                        values.append("($\(base), $1, $\(base + 1), $\(base + 2), $\(base + 3), $\(base + 4), $\(base + 5), $\(base + 6))")
                        binds.append(first + Int64(offset))
                        binds.append(item.dedupKey)
                        binds.append(item.vin)
                        binds.append(item.type)
                        binds.append(item.eventDate)
                        binds.append(item.body)
                        binds.append(db.partition(ofVIN: item.vin))
                    }
                    let sql = "INSERT INTO inbox (id, received_at, dedup_key, vin, type, event_date, body, partition) VALUES "
                        + values.joined(separator: ", ") + " ON CONFLICT (dedup_key) DO NOTHING RETURNING id, dedup_key"
                    for row in try await db.rows(PostgresQuery(unsafeSQL: sql, binds: binds)) {
                        let (id, key) = try row.decode((Int64, String).self)
                        inserted[key] = id
                    }
                    first += Int64(rows.count)
                    start += rows.count
                }
            }
            var receipts: [IntakeReceipt] = []
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
                    try await db.execute("""
                        INSERT INTO dead_letter (received_at, source, body, error)
                        VALUES (\(receivedAt), \(letter.source), \(letter.body), \(letter.error))
                        """)
                    receipt.deadLetters += 1
                }
                receipts.append(receipt)
            }
            return receipts
        }
    }

    package func addDeadLetter(source: String, body: String, error: String, at: Date) async throws {
        try await withConnection { db in
            try await db.execute("""
                INSERT INTO dead_letter (received_at, source, body, error) VALUES (\(at), \(source), \(body), \(error))
                """)
        }
    }

    package func deadLetters() async throws -> [DeadLetterRecord] {
        try await withConnection { db in
            try await db.rows("SELECT id, received_at, source, body, error FROM dead_letter ORDER BY id").map { row in
                let (id, at, source, body, error) = try row.decode((Int64, Date, String, String, String).self)
                return DeadLetterRecord(id: id, receivedAt: at, source: source, body: body, error: error)
            }
        }
    }

    /// Unprocessed rows above `id`, in id order — which is commit order (see `appendIntake`);
    /// in a partition's engine (`PartitionScope.current`), that partition's rows only.
    package func unprocessedInbox(after id: Int64, limit: Int) async throws -> [InboxRecord] {
        let partition = PartitionScope.current?.partition
        return try await withConnection { db in
            if let partition {
                return try await db.rows("""
                    SELECT id, received_at, dedup_key, vin, type, event_date, body, processed, processed_at FROM inbox
                    WHERE NOT processed AND partition = \(partition) AND id > \(id) ORDER BY id LIMIT \(Int64(limit))
                    """).map(Self.inboxRecord)
            }
            return try await db.rows("""
                SELECT id, received_at, dedup_key, vin, type, event_date, body, processed, processed_at FROM inbox
                WHERE NOT processed AND id > \(id) ORDER BY id LIMIT \(Int64(limit))
                """).map(Self.inboxRecord)
        }
    }


    static func inboxRecord(_ row: PostgresRow) throws -> InboxRecord {
        let (id, receivedAt, key, vin, type, eventDate, body, processed, processedAt) =
            try row.decode((Int64, Date, String, String?, String?, String?, String, Bool, Date?).self)
        return InboxRecord(id: id, receivedAt: receivedAt, dedupKey: key, vin: vin, type: type, eventDate: eventDate,
                           body: body, processed: processed, processedAt: processedAt)
    }

    package func markProcessed(_ ids: [Int64], at: Date) async throws {
        try await withConnection { db in try await Self.markProcessed(ids, at: at, in: db) }
    }

    static func markProcessed(_ ids: [Int64], at: Date, in db: PGConnection) async throws {
        guard !ids.isEmpty else { return }
        try await db.execute("UPDATE inbox SET processed = true, processed_at = \(at) WHERE id = ANY(\(ids))")
    }
}

/// The PostgreSQL store found something it cannot work with.
package enum PostgresStoreError: Error, Equatable, CustomStringConvertible {
    case corrupt(String)
    /// A write under a partition lease that is not the partition's grant any more (another
    /// instance took it over, or it expired): nothing was written.
    case fenced(partition: Int, epoch: Int64)
    /// A write of a partition this instance does not hold now (under a `PartitionScope`).
    case notHeld(partition: Int)
    /// The database was set up with another partition count than this instance's.
    case partitionCount(database: Int, configured: Int)

    package var description: String {
        switch self {
        case .corrupt(let why): return "PostgreSQL store: \(why)"
        case .fenced(let partition, let epoch):
            return "partition \(partition): lease epoch \(epoch) is not the partition's grant any more (taken over or expired)"
        case .partitionCount(let database, let configured):
            return "this database's vehicles are split into \(database) partitions, not \(configured): "
                + "store.postgres.partitions is fixed per deployment (docs/cluster.md)"
        case .notHeld(let partition):
            return "partition \(partition) is not held by this instance: its data is written by its owner"
        }
    }
}
