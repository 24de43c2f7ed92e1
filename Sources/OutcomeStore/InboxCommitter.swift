import Foundation
import GRDB

/// Group commit for the receiver: concurrent requests that arrive while a transaction
/// is being written wait together and are written in the next single transaction,
/// so one fsync serves many requests. Each caller's `submit` returns only once its
/// batch is committed (or throws if it could not be), which keeps "stored before
/// the 200" while the throughput grows with the load.
public actor InboxCommitter {
    private struct Waiter {
        var batch: IntakeBatch
        var continuation: CheckedContinuation<IntakeReceipt, any Error>
    }

    private let database: OutcomeDatabase
    private let maxGroup: Int
    private var waiting: [Waiter] = []
    private var flushing = false
    /// Transactions written so far (for metrics and tests).
    public private(set) var transactionCount = 0
    /// Batches committed so far.
    public private(set) var batchCount = 0
    /// Time spent in write transactions so far (queueing for the writer, inserting,
    /// committing), for the intake benchmark's profile.
    public private(set) var writeDuration: Duration = .zero

    /// A second connection that checkpoints the WAL beside the writer (see `init`).
    private let checkpointer: DatabaseQueue?
    private var checkpointRunning = false
    /// Background checkpoints run so far.
    public private(set) var checkpointCount = 0

    /// - Parameters:
    ///   - maxGroup: the most requests one transaction carries.
    ///   - backgroundCheckpoints: move the WAL checkpoint out of the commits: the writer's
    ///     auto-checkpoint is turned off and a second connection runs a passive
    ///     checkpoint after commits, one at a time, beside the writer (SQLite lets a
    ///     checkpoint run while a writer appends). Durability is unchanged — a commit is
    ///     on disk once its WAL frames are synced — but a commit no longer pays for
    ///     copying the WAL into the database file. Only for a file database and a
    ///     committer that lives as long as the database's writer (auto-checkpoint stays
    ///     off). Off by default; `vigie bench intake --background-checkpoints` measures it.
    public init(database: OutcomeDatabase, maxGroup: Int = 512, backgroundCheckpoints: Bool = false) {
        self.database = database
        self.maxGroup = max(1, maxGroup)
        self.checkpointer = backgroundCheckpoints ? Self.makeCheckpointer(database) : nil
    }

    private static func makeCheckpointer(_ database: OutcomeDatabase) -> DatabaseQueue? {
        guard let path = database.path,
              let queue = try? DatabaseQueue(path: path, configuration: OutcomeDatabase.makeConfiguration()),
              (try? database.writer.writeWithoutTransaction({ db in
                  try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
              })) != nil else { return nil }
        return queue
    }

    private func checkpointAfterCommit() {
        guard let checkpointer, !checkpointRunning else { return }
        checkpointRunning = true
        Task.detached { [checkpointer] in
            _ = try? await checkpointer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            await self.checkpointFinished()
        }
    }

    private func checkpointFinished() {
        checkpointRunning = false
        checkpointCount += 1
    }

    /// Stores `batch`; returns when it is committed.
    public func submit(_ batch: IntakeBatch) async throws -> IntakeReceipt {
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
            let receipts = try await database.writer.write { db in
                try OutcomeDatabase.receive(batches, at: now, in: db)
            }
            writeDuration += started.duration(to: .now)
            checkpointAfterCommit()
            transactionCount += 1
            batchCount += group.count
            for (waiter, receipt) in zip(group, receipts) { waiter.continuation.resume(returning: receipt) }
        } catch {
            // One transaction per batch, so that only a batch that truly cannot be
            // stored is refused.
            for waiter in group {
                do {
                    let receipt = try await database.receive(waiter.batch, at: now)
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
