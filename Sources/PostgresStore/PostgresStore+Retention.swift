import Foundation
import OutcomeStore
import PostgresNIO

// `retention:` on PostgreSQL (docs/production.md "Retention", docs/cluster.md): the SQLite
// store's policy (`OutcomeDatabase+Retention`, `RuntimeStoreConformance+Pgops`), with what
// several instances on one database need:
// - one pruner at a time: a pass runs under a session advisory lock taken with
//   `pg_try_advisory_lock`; an instance that does not get it skips its pass (nil);
// - bounded transactions: each table is walked in id order, `batchSize` ids per
//   transaction (a primary-key range, never a scan of the table), and the eligible rows of
//   that window are deleted `FOR UPDATE SKIP LOCKED` — a row another transaction holds is
//   left for the next pass, never waited for — under `lock_timeout` (a cascade that would
//   wait gives up rather than hold the receiver's or the engine's commits);
// - the walk of a table stops at the first window whose rows all came after the cutoff
//   (received, recorded or started after it: they cannot be eligible, and ids grow with
//   time), so a pass reads only the old end of each table.
extension PostgresStore {
    /// The advisory lock key of a pruning pass ("vigieret" in ASCII).
    package static let retentionLockKey: Int64 = 0x7669_6769_6572_6574

    package func pruneRetention(_ cutoffs: RetentionCutoffs) async throws -> RetentionCounts? {
        let batch = max(1, cutoffs.batchSize)
        return try await withConnection { db -> RetentionCounts? in
            guard try await db.value("SELECT pg_try_advisory_lock(\(Self.retentionLockKey))", as: Bool.self) == true else {
                return nil
            }
            do {
                let counts = try await Self.prune(cutoffs, batch: batch, in: db)
                _ = try await db.rows("SELECT pg_advisory_unlock(\(Self.retentionLockKey))")
                return counts
            } catch {
                // A failed batch was rolled back; the lock goes with the session if this fails.
                _ = try? await db.rows("SELECT pg_advisory_unlock(\(Self.retentionLockKey))")
                throw error
            }
        }
    }

    private static let finalStatuses = ActionStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// The tables in the SQLite store's order: attempts, decisions, inbox. For each: the
    /// time that bounds the walk (a row newer than the cutoff by it is not eligible), and
    /// which rows of the window go (`x` is the table's row).
    private static func prune(_ cutoffs: RetentionCutoffs, batch: Int, in db: PGConnection) async throws -> RetentionCounts {
        var counts = RetentionCounts()
        if let cutoff = cutoffs.attempts {
            counts.attempts = try await walk(table: "action_attempt", since: "started_at", cutoff: cutoff, batch: batch, eligible: """
                x.finished_at IS NOT NULL AND x.finished_at < $1
                AND EXISTS (SELECT 1 FROM action a WHERE a.id = x.action_id AND a.status IN (\(finalStatuses)))
                """, in: db)
        }
        if let cutoff = cutoffs.decisions {
            counts.decisions = try await walk(table: "firing", since: "recorded_at", cutoff: cutoff, batch: batch, eligible: """
                x.recorded_at < $1
                AND NOT EXISTS (SELECT 1 FROM action a WHERE a.firing_id = x.id AND a.status NOT IN (\(finalStatuses)))
                AND NOT EXISTS (SELECT 1 FROM notification_delivery d WHERE d.firing_id = x.id
                                AND d.status IN ('queued', 'sending', 'retrying'))
                """, in: db)
        }
        if let cutoff = cutoffs.inbox {
            counts.inbox = try await walk(table: "inbox", since: "received_at", cutoff: cutoff, batch: batch, eligible: """
                x.processed AND x.processed_at IS NOT NULL AND x.processed_at < $1
                """, in: db)
        }
        return counts
    }

    /// Walks `table` by id, one window of `batch` ids per transaction; returns the rows deleted.
    private static func walk(table: String, since: String, cutoff: Date, batch: Int, eligible: String,
                             in db: PGConnection) async throws -> Int {
        var cursor: Int64 = 0
        var total = 0
        while true {
            var binds = PostgresBindings()
            binds.append(cutoff)
            binds.append(cursor)
            binds.append(batch)
            let query = PostgresQuery(unsafeSQL: """
                WITH win AS (SELECT id, \(since) AS t FROM \(table) WHERE id > $2 ORDER BY id LIMIT $3),
                gone AS (DELETE FROM \(table) WHERE id IN (
                    SELECT x.id FROM \(table) x WHERE x.id IN (SELECT id FROM win) AND \(eligible)
                    FOR UPDATE OF x SKIP LOCKED) RETURNING 1)
                SELECT (SELECT max(id) FROM win), (SELECT count(*) FROM gone)::bigint,
                       (SELECT count(*) FROM win WHERE t < $1)::bigint
                """, binds: binds)
            try await db.execute("BEGIN")
            let row: PostgresRow?
            do {
                try await db.execute("SET LOCAL lock_timeout = '2s'")
                row = try await db.rows(query).first
                try await db.execute("COMMIT")
            } catch {
                try? await db.execute("ROLLBACK")
                throw error
            }
            guard let row else { return total }
            let (last, deleted, older) = try row.decode((Int64?, Int64, Int64).self)
            total += Int(deleted)
            guard let last, older > 0 else { return total }
            cursor = last
        }
    }
}
