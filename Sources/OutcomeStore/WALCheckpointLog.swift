import Foundation
import Synchronization

/// What the background WAL checkpoints of a database did (`InboxCheckpointer`): how many
/// ran, and each drain — the times the WAL passed its size limit and was copied entirely
/// so that it could start over — with when it started and ended and how long it held
/// writes. For the benchmarks (`vigie bench latency` tells whether the drains are its
/// slowest notifications) and the tests.
package final class WALCheckpointLog: Sendable {
    /// One drain of the WAL.
    package struct Drain: Sendable, Equatable {
        /// When the WAL was found over the limit.
        package var started: ContinuousClock.Instant
        /// When the drain was over (the writes it held resumed).
        package var ended: ContinuousClock.Instant
        /// The WAL file's size when the drain started (bytes).
        package var walBytes: Int
        /// Checkpoints it ran or waited for.
        package var passes: Int
        /// Whether every frame was copied at its end (false: a reader held an old snapshot,
        /// or another connection was checkpointing).
        package var complete: Bool
        /// How long of it every write waited for the drain (its checkpoint on the writer
        /// connection); zero when only the receiver's transactions waited.
        package var writerHeld: Duration

        package var duration: Duration { started.duration(to: ended) }
    }

    /// The totals, for reports.
    package struct Counts: Sendable, Equatable {
        /// Background (passive, second connection) checkpoints run.
        package var checkpoints = 0
        package var drains = 0
        /// Drains that ended with frames left to copy.
        package var incompleteDrains = 0
        /// Summed and longest drain duration.
        package var drainTime = Duration.zero
        package var longestDrain = Duration.zero
    }

    private struct State {
        var counts = Counts()
        var drains: [Drain] = []
    }

    private let state = Mutex(State())
    /// At most this many drains are kept (the counts go on).
    private let keep: Int

    package init(keep: Int = 10_000) {
        self.keep = keep
    }

    package var counts: Counts { state.withLock { $0.counts } }

    /// The drains so far, oldest first (at most `keep`).
    package var drains: [Drain] { state.withLock { $0.drains } }

    func checkpointRan() {
        state.withLock { $0.counts.checkpoints += 1 }
    }

    func drained(_ drain: Drain) {
        state.withLock { s in
            s.counts.drains += 1
            if !drain.complete { s.counts.incompleteDrains += 1 }
            s.counts.drainTime += drain.duration
            s.counts.longestDrain = max(s.counts.longestDrain, drain.duration)
            if s.drains.count < keep { s.drains.append(drain) }
        }
    }
}
