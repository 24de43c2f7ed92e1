import Foundation
import Logging
import Synchronization

/// One instance's side of the partition leases (docs/cluster.md): each `tick()` renews
/// the leases it holds, all in one statement — a renewal that fails means the partition
/// was lost, and it is dropped at once — then renews its `partition_member` row and takes free or expired
/// partitions up to its fair share (⌈P / members alive⌉) and gives back what it holds above that share, so a new instance
/// gets work without waiting for a failure. Run `tick()` every `duration / 3` (the
/// `PartitionLeaseService` of `vigie serve` does) on a store of its own, so a busy pool
/// never delays a renewal. A tick that outlasts that period is logged at notice (its
/// duration and the partitions held).
///
/// When it has room under its share, `tick()` also says when the first lease of another
/// instance expires (`Changes.nextExpiry`): the caller ticks again then, so a dead
/// instance's partitions are taken when their leases expire rather than up to a tick later.
///
/// A lease is trusted locally only until `duration × trust` after the renewal that
/// granted it began (local monotonic clock): when renewals fail (the database is
/// unreachable), the partition is dropped before the database can give it to another
/// instance. Fencing (`commit(_:now:fencedBy:)`) makes a late write fail anyway.
package final class PartitionKeeper: Sendable {
    package let store: PostgresStore
    package let owner: String
    package let count: Int
    package let duration: Double
    /// The fraction of `duration` a lease is trusted after its renewal began.
    package let trust: Double
    private let logger: Logger
    private let state = Mutex<[Int: Held]>([:])

    private struct Held {
        var lease: PartitionLease
        var trustedUntil: ContinuousClock.Instant
    }

    /// What one `tick()` changed.
    package struct Changes: Sendable, Equatable {
        package var gained: [PartitionLease] = []
        /// Partitions lost (renewal refused or not answered in time) or given back.
        package var lost: [Int] = []
        package var released: [Int] = []
        /// Seconds (database clock) until another instance's lease expires, when this one
        /// has room for it under its fair share: the next tick should come then (a dead
        /// owner's partitions are taken when they expire, not up to a tick later).
        package var nextExpiry: Double?

        package init() {}
    }

    package init(store: PostgresStore, owner: String, count: Int, duration: Double, trust: Double = 0.8,
                logger: Logger) {
        precondition(count > 0 && duration > 0 && trust > 0 && trust < 1)
        self.store = store
        self.owner = owner
        self.count = count
        self.duration = duration
        self.trust = trust
        self.logger = logger
    }

    /// The leases held and still trusted now.
    package var owned: [Int: PartitionLease] {
        let now = ContinuousClock.now
        return state.withLock { held in held.filter { $0.value.trustedUntil > now }.mapValues(\.lease) }
    }

    /// The lease of `partition`, when held and trusted now (the one to fence writes with).
    package func lease(of partition: Int) -> PartitionLease? {
        owned[partition]
    }

    /// One round: renew, drop what was lost, take up to the fair share, give back the excess.
    @discardableResult
    package func tick() async -> Changes {
        var changes = Changes()
        let tickBegan = ContinuousClock.now
        let held = state.withLock { $0 }
        // One statement renews them all: a tick's renewals are one round trip, not one per partition.
        let began = ContinuousClock.now
        do {
            let renewed = try await store.renewLeases(held.values.map(\.lease), duration: duration)
            for (partition, entry) in held.sorted(by: { $0.key < $1.key }) {
                if let lease = renewed[partition] {
                    state.withLock { $0[partition] = Held(lease: lease, trustedUntil: began + .seconds(duration * trust)) }
                } else {
                    state.withLock { _ = $0.removeValue(forKey: partition) }
                    changes.lost.append(partition)
                    logger.warning("partition lease lost", metadata: ["partition": "\(partition)", "epoch": "\(entry.lease.epoch)"])
                }
            }
        } catch {
            for (partition, entry) in held.sorted(by: { $0.key < $1.key }) where entry.trustedUntil <= ContinuousClock.now {
                state.withLock { _ = $0.removeValue(forKey: partition) }
                changes.lost.append(partition)
                logger.error("partition lease not renewed in time: dropped", metadata: [
                    "partition": "\(partition)", "error": "\(error)"])
            }
        }
        do {
            let live = max(1, try await store.announceMember(owner, duration: duration))
            let current = try await store.currentLeases()
            let share = (count + live - 1) / live
            var mine = state.withLock { Set($0.keys) }
            let taken = Set(current.filter { $0.owner != owner }.map(\.partition))
            if mine.count < share {
                for partition in 0..<count where !mine.contains(partition) && !taken.contains(partition) {
                    if mine.count >= share { break }
                    let began = ContinuousClock.now
                    guard let lease = try await store.acquireLease(partition: partition, owner: owner, duration: duration) else { continue }
                    state.withLock { $0[partition] = Held(lease: lease, trustedUntil: began + .seconds(duration * trust)) }
                    mine.insert(partition)
                    changes.gained.append(lease)
                }
                if mine.count < share {
                    changes.nextExpiry = try await store.nextLeaseExpiry(notOwnedBy: owner)
                }
            } else if mine.count > share {
                for partition in mine.sorted().reversed().prefix(mine.count - share) {
                    guard let entry = state.withLock({ $0.removeValue(forKey: partition) }) else { continue }
                    try await store.releaseLease(entry.lease)
                    changes.released.append(partition)
                }
            }
        } catch {
            logger.error("cannot read or take partition leases", metadata: ["error": "\(error)"])
        }
        let took = ContinuousClock.now - tickBegan
        if took > .seconds(duration / 3) {
            logger.notice("partition keeper tick outlasted its period", metadata: [
                "duration": "\(took)", "period": "\(duration / 3) s", "partitions": "\(held.count)"])
        }
        return changes
    }

    /// Forgets `partition` at once (a fenced write showed its lease passed to another
    /// instance); with `release`, also gives its lease back (a partition this instance
    /// cannot run, e.g. its state could not be read: another instance may).
    package func drop(_ partition: Int, release: Bool = false) async {
        guard let entry = state.withLock({ $0.removeValue(forKey: partition) }), release else { return }
        do { try await store.releaseLease(entry.lease) } catch {
            logger.error("cannot release a partition lease (it will expire)", metadata: [
                "partition": "\(partition)", "error": "\(error)"])
        }
    }

    /// Gives every lease back (a graceful handoff at shutdown): the partitions are free at once.
    package func releaseAll() async {
        do { try await store.withdrawMember(owner) } catch {
            logger.error("cannot withdraw from the partition members (it will expire)", metadata: ["error": "\(error)"])
        }
        let held = state.withLock { all in
            defer { all = [:] }
            return all
        }
        for entry in held.values {
            do { try await store.releaseLease(entry.lease) } catch {
                logger.error("cannot release a partition lease (it will expire)", metadata: [
                    "partition": "\(entry.lease.partition)", "error": "\(error)"])
            }
        }
    }
}
