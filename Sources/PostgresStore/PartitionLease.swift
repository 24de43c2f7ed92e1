import Foundation

/// An instance's right to run one partition's loop, as granted by the `partition_lease`
/// row: the owner's name and the epoch the grant bumped to. Every transaction that
/// writes the partition's data checks both under a row lock (`PostgresStore.commit(_:now:
/// fencedBy:)`): once another instance has taken the partition over (a higher epoch), the
/// old owner's transactions fail with `PostgresStoreError.fenced`.
package struct PartitionLease: Sendable, Hashable {
    package var partition: Int
    package var owner: String
    package var epoch: Int64
    /// When the grant runs out, in the database's clock.
    package var expiresAt: Date

    package init(partition: Int, owner: String, epoch: Int64, expiresAt: Date) {
        self.partition = partition
        self.owner = owner
        self.epoch = epoch
        self.expiresAt = expiresAt
    }

    /// The partition of a vehicle among `count`: FNV-1a (64 bits) of the VIN's UTF-8 bytes,
    /// modulo `count`. Stable across processes, builds and machines (never Swift's seeded
    /// `hashValue`), so every instance maps a vehicle to the same partition.
    package static func partition(ofVIN vin: String, count: Int) -> Int {
        precondition(count > 0, "a partition count is positive")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in vin.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}
