import Foundation

/// What the current task may read and write of the partitioned data (docs/cluster.md),
/// bound as a task-local by `vigie serve` around the services that run partitions: each
/// partition's engine (`partition` set: it reads that partition's inbox rows only, and
/// its step is fenced by that partition's lease), the dispatcher (no `partition`: it sees
/// the outbox rows of the partitions held now, and each claim, acceptance or outcome is
/// fenced by the lease of its vehicle's partition).
///
/// Without a scope (SQLite's one writer, tests, `vigie migrate`) nothing is filtered or
/// fenced. A fenced write throws `PostgresStoreError.fenced` (or, for one claim of a
/// group, refuses that claim) and calls `fenced`, which stops the partition at once.
package struct PartitionScope: Sendable {
    /// P: vehicles map to `PartitionLease.partition(ofVIN:count:)`.
    package var count: Int
    /// The one partition this task runs (an engine), or nil (the dispatcher: all held).
    package var partition: Int?
    /// The lease to fence `partition`'s writes with: nil when it is not held (or not
    /// trusted) now.
    package var lease: @Sendable (Int) -> PartitionLease?
    /// The partitions held now.
    package var owned: @Sendable () -> [Int]
    /// A write was refused by the fence: the partition must stop at once.
    package var fenced: @Sendable (Int) -> Void
    /// Seconds after a claim (database clock) before another instance may reconcile a
    /// command its claimer left `sending`: the claimer's POST deadline.
    package var postDeadline: Double

    package init(count: Int, partition: Int? = nil, postDeadline: Double,
                 lease: @escaping @Sendable (Int) -> PartitionLease?, owned: @escaping @Sendable () -> [Int],
                 fenced: @escaping @Sendable (Int) -> Void) {
        self.count = count
        self.partition = partition
        self.postDeadline = postDeadline
        self.lease = lease
        self.owned = owned
        self.fenced = fenced
    }

    /// The same scope narrowed to one partition (an engine's).
    package func only(_ partition: Int) -> PartitionScope {
        var copy = self
        copy.partition = partition
        return copy
    }

    @TaskLocal package static var current: PartitionScope?
}
