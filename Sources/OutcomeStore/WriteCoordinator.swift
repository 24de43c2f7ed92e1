import Foundation
import GRDB
import Synchronization

/// Shares commits — and their `fdatasync` — among the store's busy writers: the
/// receiver's inbox groups, the engine's steps, the dispatcher's claims and acceptances.
///
/// SQLite has one writer, and with `synchronous=FULL` each commit waits for the disk.
/// Without this, every transaction queued behind the one being written pays its own
/// sync after it. Here, the parts queued while a transaction is written go together in
/// the next ONE transaction, taken when the writer is free:
/// - each part runs in its own `SAVEPOINT`: a part that throws is rolled back alone and
///   its caller gets its own error; the others are committed;
/// - every caller resumes only once the shared `COMMIT` has returned — on disk, as with
///   a transaction of its own (`synchronous` is unchanged);
/// - when the shared transaction itself fails (its commit, or an error that made SQLite
///   roll the whole transaction back: disk full, I/O error), nothing of it is stored and
///   each part runs again alone, in a transaction of its own, so that each gets the
///   answer it would have had without sharing.
///
/// A part must do only database work (its effects are the transaction's), and must not
/// open a transaction itself. Parts run in the order they came, one after the other,
/// each seeing the writes of the parts before it, as on the writer's own queue; other
/// writes of the store (`writer.write`) keep their place in that queue, between shared
/// transactions.
package final class WriteCoordinator: Sendable {
    private struct Part: Sendable {
        let work: @Sendable (Database) throws -> any Sendable
        let resume: @Sendable (Result<any Sendable, any Error>) -> Void
        let queuedAt: ContinuousClock.Instant
    }

    private struct State {
        var waiting: [Part] = []
        /// A shared transaction is scheduled or being written.
        var writing = false
        var counts = Counts()
    }

    /// What the coordinator did so far (for tests and the benchmarks).
    package struct Counts: Sendable, Equatable {
        /// Shared transactions written (each one commit, one sync).
        package var transactions = 0
        /// Parts committed or refused in them.
        package var parts = 0
        /// Shared transactions that failed as a whole, their parts then run alone.
        package var aloneRetries = 0
        /// Summed over the parts: from `write` to the start of their transaction.
        package var waited = Duration.zero
        /// The longest such wait.
        package var longestWait = Duration.zero
        /// Summed over the transactions: from their start to their commit's return.
        package var writing = Duration.zero
    }

    private let writer: any DatabaseWriter
    private let maxParts: Int
    private let state = Mutex(State())

    /// - Parameter maxParts: the most parts one transaction carries.
    package init(writer: any DatabaseWriter, maxParts: Int = 64) {
        self.writer = writer
        self.maxParts = max(1, maxParts)
    }

    package var counts: Counts { state.withLock { $0.counts } }

    /// Parts waiting for the next shared transaction.
    package var waiting: Int { state.withLock { $0.waiting.count } }

    /// Runs `work` in the next shared transaction; returns its result once that
    /// transaction is committed, or throws the error `work` threw (nothing of it stored)
    /// or the error that kept it from being committed.
    package func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let part = Part(work: { db in try work(db) }, resume: { result in
                continuation.resume(with: result.map { value in
                    guard let typed = value as? T else { preconditionFailure("a part's result changed type") }
                    return typed
                })
            }, queuedAt: .now)
            let lead = state.withLock { s -> Bool in
                s.waiting.append(part)
                guard !s.writing else { return false }
                s.writing = true
                return true
            }
            if lead { schedule() }
        }
    }

    /// Queues one shared transaction on the writer. Its parts are taken when the writer
    /// gets to it, so everything queued meanwhile joins; when more is waiting after its
    /// commit, the next is queued behind the writes already waiting for the writer.
    private func schedule() {
        writer.asyncWriteWithoutTransaction { [self] db in
            let group = state.withLock { s -> [Part] in
                let group = Array(s.waiting.prefix(maxParts))
                s.waiting.removeFirst(group.count)
                return group
            }
            if !group.isEmpty { commit(group, in: db) }
            let more = state.withLock { s -> Bool in
                if s.waiting.isEmpty { s.writing = false }
                return s.writing
            }
            if more { schedule() }
        }
    }

    private func commit(_ group: [Part], in db: Database) {
        let started = ContinuousClock.now
        defer {
            let wrote = started.duration(to: .now)
            state.withLock { s in
                s.counts.writing += wrote
                for part in group {
                    let waited = part.queuedAt.duration(to: started)
                    s.counts.waited += waited
                    s.counts.longestWait = max(s.counts.longestWait, waited)
                }
            }
        }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(group.count)
        do {
            try db.inTransaction(.immediate) {
                for part in group {
                    results.append(try Self.run(part, alone: group.count == 1, in: db))
                }
                return .commit
            }
            state.withLock { $0.counts.transactions += 1; $0.counts.parts += group.count }
        } catch {
            // Nothing of the transaction is stored.
            guard group.count > 1 else {
                state.withLock { $0.counts.transactions += 1; $0.counts.parts += 1 }
                group[0].resume(.failure(error))
                return
            }
            state.withLock { $0.counts.aloneRetries += 1 }
            results = group.map { part in
                do {
                    var value: any Sendable = ()   // replaced by the part's result
                    try db.inTransaction(.immediate) {
                        value = try part.work(db)
                        return .commit
                    }
                    state.withLock { $0.counts.transactions += 1; $0.counts.parts += 1 }
                    return .success(value)
                } catch {
                    state.withLock { $0.counts.transactions += 1; $0.counts.parts += 1 }
                    return .failure(error)
                }
            }
        }
        for (part, result) in zip(group, results) { part.resume(result) }
    }

    /// One part inside the shared transaction: in a savepoint (unless it is alone), its
    /// error kept for its caller. Throws only when the whole transaction is lost.
    private static func run(_ part: Part, alone: Bool, in db: Database) throws -> Result<any Sendable, any Error> {
        if alone { return .success(try part.work(db)) }   // its error fails the transaction: its own
        do {
            var value: any Sendable = ()   // replaced by the part's result
            try db.inSavepoint {
                value = try part.work(db)
                return .commit
            }
            return .success(value)
        } catch {
            // SQLite rolls the whole transaction back on some errors (disk full, I/O):
            // then the parts before this one are lost too.
            guard db.isInsideTransaction else { throw SharedTransactionLost(cause: error) }
            return .failure(error)
        }
    }
}

/// The shared transaction was rolled back by SQLite while a part ran (internal: its
/// parts run again alone).
private struct SharedTransactionLost: Error {
    var cause: any Error
}
