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

    /// - Parameter maxGroup: the most requests one transaction carries.
    public init(database: OutcomeDatabase, maxGroup: Int = 512) {
        self.database = database
        self.maxGroup = max(1, maxGroup)
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
