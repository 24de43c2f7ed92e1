import Foundation

/// Group commit for the receiver: concurrent requests that arrive while a transaction
/// is being written wait together and are written in the next single transaction,
/// so one fsync serves many requests. Each caller's `submit` returns only once its
/// batch is committed (or throws if it could not be), which keeps "stored before
/// the 200" while the throughput grows with the load.
package actor InboxCommitter {
    private struct Waiter {
        var batch: IntakeBatch
        var continuation: CheckedContinuation<IntakeReceipt, any Error>
    }

    private let store: any RuntimeStore
    private let maxGroup: Int
    private var waiting: [Waiter] = []
    private var flushing = false
    /// Transactions written so far (for metrics and tests).
    package private(set) var transactionCount = 0
    /// Batches committed so far.
    package private(set) var batchCount = 0
    /// Time spent in write transactions so far (queueing for the writer, inserting,
    /// committing), for the intake benchmark's profile.
    package private(set) var writeDuration: Duration = .zero

    /// The second connection that checkpoints the WAL beside the writer (see `init`).
    private let checkpointer: InboxCheckpointer?
    /// Background checkpoints run so far.
    package var checkpointCount: Int { checkpointer?.runs ?? 0 }
    /// Times the WAL was drained (copied entirely by one checkpoint on the writer
    /// connection) because it passed `walSizeLimit`.
    package var walDrainCount: Int { checkpointer?.drains ?? 0 }

    /// The default `walSizeLimit`: 64 MiB.
    package static let defaultWALSizeLimit = 64 << 20

    /// - Parameters:
    ///   - maxGroup: the most requests one transaction carries.
    ///   - backgroundCheckpoints: move the WAL checkpoint out of the commits (the default,
    ///     for a file database): the writer's auto-checkpoint is turned off and a second
    ///     connection runs passive checkpoints after commits (and once a second), one at
    ///     a time, beside the writer (SQLite lets a checkpoint run while a writer
    ///     appends). Durability is unchanged — a commit is on disk once its WAL frames are
    ///     synced — but a commit no longer pays for copying the WAL into the database
    ///     file. The committer must live as long as the database's writer (auto-checkpoint
    ///     stays off). `false`: SQLite's auto-checkpoint, inside commits.
    ///   - walSizeLimit: with background checkpoints, the WAL file's size (bytes) above
    ///     which the WAL is drained: right after a background checkpoint, one passive
    ///     checkpoint on the writer connection, between two transactions, copies the frames
    ///     left, so that the next transaction rewinds the WAL (and `journal_size_limit`
    ///     truncates it back to this size). Every write waits for that one pass; the file
    ///     stays under the limit plus what is written during one background checkpoint
    ///     (unless a reader holds an old snapshot, see `InboxCheckpointer`).
    package init(database: OutcomeDatabase, maxGroup: Int = 512, backgroundCheckpoints: Bool = true,
                walSizeLimit: Int = InboxCommitter.defaultWALSizeLimit) {
        self.init(store: database, maxGroup: maxGroup,
                  checkpointer: backgroundCheckpoints ? InboxCheckpointer.make(for: database, limit: max(walSizeLimit, 1 << 16)) : nil)
    }

    /// Group commit over any store (`RuntimeStore.appendIntake`); an `OutcomeDatabase`
    /// gets its background WAL checkpoints with the other initialiser.
    package init(store: any RuntimeStore, maxGroup: Int = 512) {
        if let database = store as? OutcomeDatabase {
            self.init(database: database, maxGroup: maxGroup)
        } else {
            self.init(store: store, maxGroup: maxGroup, checkpointer: nil)
        }
    }

    private init(store: any RuntimeStore, maxGroup: Int, checkpointer: InboxCheckpointer?) {
        self.store = store
        self.maxGroup = max(1, maxGroup)
        self.checkpointer = checkpointer
    }

    /// Returns once no background checkpoint or drain runs (for tests and figures).
    package func checkpointsSettled() async {
        await checkpointer?.settle()
    }

    /// Stores `batch`; returns when it is committed.
    package func submit(_ batch: IntakeBatch) async throws -> IntakeReceipt {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiter(batch: batch, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !waiting.isEmpty {
            let group = Array(waiting.prefix(maxGroup))
            waiting.removeFirst(group.count)
            await commit(group)
        }
        flushing = false
    }

    private func commit(_ group: [Waiter]) async {
        let batches = group.map(\.batch)
        let now = Date()
        do {
            let started = ContinuousClock.now
            let receipts = try await store.appendIntake(batches, at: now)
            writeDuration += started.duration(to: .now)
            checkpointer?.kick()
            transactionCount += 1
            batchCount += group.count
            for (waiter, receipt) in zip(group, receipts) { waiter.continuation.resume(returning: receipt) }
        } catch {
            // One transaction per batch, so that only a batch that truly cannot be
            // stored is refused.
            for waiter in group {
                do {
                    let receipt = try await store.appendIntake([waiter.batch], at: now)[0]
                    transactionCount += 1
                    batchCount += 1
                    waiter.continuation.resume(returning: receipt)
                } catch {
                    waiter.continuation.resume(throwing: error)
                }
            }
        }
    }
}
