import Foundation
import GRDB

// `retention:` on SQLite (docs/production.md "Retention"): the same policy as the
// PostgreSQL store's (`PostgresStore+Retention`, `RuntimeStoreConformance+Pgops`).
extension OutcomeDatabase {
    /// The action statuses after which nothing changes an action any more.
    static let finalActionStatuses = ActionStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")

    /// One pass: batches of at most `batchSize` deletes, one short write transaction each,
    /// so the receiver's commits wait at most one batch. One process writes a SQLite file
    /// (its writer lock), so a pass is never refused. Freed pages are reused (the file does
    /// not shrink).
    package func pruneRetention(_ cutoffs: RetentionCutoffs) throws -> RetentionCounts? {
        let batch = max(1, cutoffs.batchSize)
        var counts = RetentionCounts()
        if let cutoff = cutoffs.attempts {
            counts.attempts = try deleteInBatches(cutoff: cutoff, batch: batch, sql: """
                DELETE FROM actionAttempt WHERE id IN (
                  SELECT actionAttempt.id FROM actionAttempt JOIN action ON action.id = actionAttempt.actionId
                  WHERE actionAttempt.finishedAt IS NOT NULL AND actionAttempt.finishedAt < ?
                    AND action.status IN (\(Self.finalActionStatuses))
                  LIMIT \(batch))
                """)
        }
        if let cutoff = cutoffs.decisions {
            counts.decisions = try deleteInBatches(cutoff: cutoff, batch: batch, sql: """
                DELETE FROM firing WHERE id IN (
                  SELECT firing.id FROM firing WHERE firing.recordedAt < ?
                    AND NOT EXISTS (SELECT 1 FROM action WHERE action.firingId = firing.id
                                    AND action.status NOT IN (\(Self.finalActionStatuses)))
                    AND NOT EXISTS (SELECT 1 FROM notificationDelivery WHERE notificationDelivery.firingId = firing.id
                                    AND notificationDelivery.status IN ('queued', 'sending', 'retrying'))
                  LIMIT \(batch))
                """)
        }
        if let cutoff = cutoffs.inbox {
            counts.inbox = try deleteInBatches(cutoff: cutoff, batch: batch, sql: """
                DELETE FROM inbox WHERE id IN (
                  SELECT id FROM inbox WHERE processed = 1 AND processedAt IS NOT NULL AND processedAt < ?
                  LIMIT \(batch))
                """)
        }
        return counts
    }

    private func deleteInBatches(cutoff: Date, batch: Int, sql: String) throws -> Int {
        var total = 0
        while true {
            let deleted = try writer.write { db -> Int in
                try db.execute(sql: sql, arguments: [cutoff])
                return db.changesCount
            }
            total += deleted
            if deleted < batch { return total }
        }
    }
}
