import Foundation

/// One pruning pass of `retention:` (docs/production.md "Retention"), as instants: rows
/// older than a cutoff that only serve history are deleted, in batches of `batchSize` rows,
/// one short transaction each (`RuntimeStore.pruneRetention`). A nil cutoff keeps those
/// rows. Rows still in use are never deleted, whatever their age: an unprocessed
/// notification; a decision with an action not final (a command queued, being sent, or
/// awaiting its `Done`) or a notification delivery not finished; an attempt of an action
/// not final.
package struct RetentionCutoffs: Sendable, Hashable {
    /// Processed inbox rows processed before this.
    package var inbox: Date?
    /// Decisions recorded before this (with their actions, attempts, outbox rows,
    /// deliveries and manual-command rows).
    package var decisions: Date?
    /// Finished attempts of final actions, finished before this.
    package var attempts: Date?
    /// Rows deleted per transaction at most.
    package var batchSize: Int

    package init(inbox: Date? = nil, decisions: Date? = nil, attempts: Date? = nil, batchSize: Int = 500) {
        self.inbox = inbox
        self.decisions = decisions
        self.attempts = attempts
        self.batchSize = batchSize
    }
}
