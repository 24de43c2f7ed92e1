import Foundation
import VehicleData
import GRDB
import Logging
import OutcomeStore
import VigieRuntime

/// Prunes the rows `retention:` lets go (docs/production.md): processed inbox rows,
/// decisions whose actions are all final (with their actions, attempts and outbox rows,
/// by the schema's cascades) and finished attempts of final actions. Rows still in use —
/// an unprocessed notification, a decision with a command queued, in flight or awaiting
/// its `Done` — are never touched, whatever their age.
///
/// Deletes go in batches of `batchSize` rows, one short transaction each, so the webhook
/// receiver's commits wait at most one batch. Freed pages are reused by SQLite (the file
/// does not shrink; see docs/production.md for VACUUM).
package struct RetentionPruner: Sendable {
    /// Rows deleted by one pass.
    package struct Counts: Sendable, Hashable {
        package var inbox = 0
        package var decisions = 0
        package var attempts = 0
        package init() {}
    }

    package let database: OutcomeDatabase
    package let retention: Retention
    package var batchSize = 500

    package init(database: OutcomeDatabase, retention: Retention) {
        self.database = database
        self.retention = retention
    }

    static let finalStatuses = ActionStatus.allCases.filter(\.isFinal).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// One pass as of `now`.
    package func prune(now: Date) throws -> Counts {
        var counts = Counts()
        if let limit = retention.attempts {
            counts.attempts = try deleteInBatches(cutoff: now.addingTimeInterval(-limit), sql: """
                DELETE FROM actionAttempt WHERE id IN (
                  SELECT actionAttempt.id FROM actionAttempt JOIN action ON action.id = actionAttempt.actionId
                  WHERE actionAttempt.finishedAt IS NOT NULL AND actionAttempt.finishedAt < ?
                    AND action.status IN (\(Self.finalStatuses))
                  LIMIT \(batchSize))
                """)
        }
        if let limit = retention.decisions {
            counts.decisions = try deleteInBatches(cutoff: now.addingTimeInterval(-limit), sql: """
                DELETE FROM firing WHERE id IN (
                  SELECT firing.id FROM firing WHERE firing.recordedAt < ?
                    AND NOT EXISTS (SELECT 1 FROM action WHERE action.firingId = firing.id
                                    AND action.status NOT IN (\(Self.finalStatuses)))
                  LIMIT \(batchSize))
                """)
        }
        if let limit = retention.inbox {
            counts.inbox = try deleteInBatches(cutoff: now.addingTimeInterval(-limit), sql: """
                DELETE FROM inbox WHERE id IN (
                  SELECT id FROM inbox WHERE processed = 1 AND processedAt IS NOT NULL AND processedAt < ?
                  LIMIT \(batchSize))
                """)
        }
        return counts
    }

    private func deleteInBatches(cutoff: Date, sql: String) throws -> Int {
        var total = 0
        while true {
            let deleted = try database.writer.write { db -> Int in
                try db.execute(sql: sql, arguments: [cutoff])
                return db.changesCount
            }
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    /// Prunes now and then every `retention.interval` seconds of `clock` until the task
    /// is cancelled. A failed pass is logged and tried again at the next interval.
    package func run(clock: any VigieClock, logger: Logger) async {
        guard retention.isEnabled else { return }
        while !Task.isCancelled {
            do {
                let counts = try prune(now: clock.now())
                if counts != Counts() {
                    logger.info("retention: old rows pruned", metadata: [
                        "inbox": "\(counts.inbox)", "decisions": "\(counts.decisions)", "attempts": "\(counts.attempts)",
                    ])
                }
            } catch {
                logger.error("retention: pruning failed; will try again", metadata: ["error": "\(error)"])
            }
            do { try await clock.sleep(until: clock.now().addingTimeInterval(retention.interval)) } catch { return }
        }
    }
}
