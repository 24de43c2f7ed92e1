import Foundation
import VehicleData
import Logging
import OutcomeStore
import VigieRuntime

/// Prunes the rows `retention:` lets go (docs/production.md): processed inbox rows,
/// decisions whose actions are all final and whose notifications are delivered (with their
/// actions, attempts and outbox rows, by the schema's cascades) and finished attempts of
/// final actions. Rows still in use — an unprocessed notification, a decision with a
/// command queued, in flight or awaiting its `Done`, a notification still to deliver — are
/// never touched, whatever their age.
///
/// The store does the deleting (`RuntimeStore.pruneRetention`, the same policy on SQLite
/// and PostgreSQL), in batches of `batchSize` rows, one short transaction each, so the
/// webhook receiver's commits wait at most one batch. On PostgreSQL several instances
/// share the database: one prunes at a time (an advisory lock); the others skip the pass.
package struct RetentionPruner: Sendable {
    /// Rows deleted by one pass.
    package typealias Counts = RetentionCounts

    package let store: any RuntimeStore
    package let retention: Retention
    package var batchSize = 500

    package init(store: any RuntimeStore, retention: Retention) {
        self.store = store
        self.retention = retention
    }

    package init(database: OutcomeDatabase, retention: Retention) {
        self.init(store: database, retention: retention)
    }

    /// The cutoffs of a pass as of `now`.
    package func cutoffs(now: Date) -> RetentionCutoffs {
        RetentionCutoffs(inbox: retention.inbox.map { now.addingTimeInterval(-$0) },
                         decisions: retention.decisions.map { now.addingTimeInterval(-$0) },
                         attempts: retention.attempts.map { now.addingTimeInterval(-$0) }, batchSize: batchSize)
    }

    /// One pass as of `now`; nil when another process is pruning the store now.
    package func prune(now: Date) async throws -> Counts? {
        try await store.pruneRetention(cutoffs(now: now))
    }

    /// Prunes now and then every `retention.interval` seconds of `clock` until the task
    /// is cancelled. A failed pass is logged and tried again at the next interval.
    package func run(clock: any VigieClock, logger: Logger) async {
        guard retention.isEnabled else { return }
        while !Task.isCancelled {
            do {
                if let counts = try await prune(now: clock.now()) {
                    if counts != Counts() {
                        logger.info("retention: old rows pruned", metadata: [
                            "inbox": "\(counts.inbox)", "decisions": "\(counts.decisions)", "attempts": "\(counts.attempts)",
                        ])
                    }
                } else {
                    logger.debug("retention: another instance is pruning; this pass is skipped")
                }
            } catch {
                logger.error("retention: pruning failed; will try again", metadata: ["error": "\(error)"])
            }
            do { try await clock.sleep(until: clock.now().addingTimeInterval(retention.interval)) } catch { return }
        }
    }
}
