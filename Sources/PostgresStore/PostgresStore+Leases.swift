import Foundation
import OutcomeStore
import PostgresNIO

// Partition leases and fencing (docs/cluster.md). Times are the database's (`now()`), never
// an instance's clock: instances may disagree on the time, the server decides.
extension PostgresStore {
    /// Takes partition `partition` for `owner` for `duration` seconds when it is free
    /// (never granted, released, or expired in the database's clock), bumping its epoch;
    /// renews it when `owner` already holds it (same epoch). Nil when another owner holds
    /// a lease that has not expired.
    ///
    /// The row is locked `FOR UPDATE` before it changes: that lock conflicts with the
    /// `FOR KEY SHARE` of `checkFence`, so a takeover waits for the stale owner's open
    /// fenced transactions (which commit before the new epoch exists), and one starting
    /// after it sees the new owner and epoch and fails. The plain UPDATE alone would not
    /// wait (it takes `FOR NO KEY UPDATE`, no key column changes).
    package func acquireLease(partition: Int, owner: String, duration: Double) async throws -> PartitionLease? {
        try await transaction { db in
            try await db.execute("""
                INSERT INTO partition_lease (partition, epoch) VALUES (\(partition), 0) ON CONFLICT (partition) DO NOTHING
                """)
            try await db.execute("SELECT 1 FROM partition_lease WHERE partition = \(partition) FOR UPDATE")
            guard let row = try await db.rows("""
                UPDATE partition_lease SET
                    epoch = CASE WHEN owner = \(owner) AND expires_at > now() THEN epoch ELSE epoch + 1 END,
                    owner = \(owner),
                    expires_at = now() + make_interval(secs => \(duration))
                WHERE partition = \(partition) AND (owner IS NULL OR owner = \(owner) OR expires_at <= now())
                RETURNING epoch, expires_at
                """).first else { return nil }
            let (epoch, expiresAt) = try row.decode((Int64, Date).self)
            return PartitionLease(partition: partition, owner: owner, epoch: epoch, expiresAt: expiresAt)
        }
    }

    /// Extends a lease still held (same owner and epoch, not expired); nil when it was lost:
    /// the owner must stop the partition at once. Its UPDATE changes no key column, so it
    /// takes `FOR NO KEY UPDATE`, which does not conflict with the `FOR KEY SHARE` of the
    /// owner's fenced transactions: a renewal never waits for them (it did with `FOR SHARE`,
    /// and under load renewals queued past the trust window — issue 20).
    package func renewLease(_ lease: PartitionLease, duration: Double) async throws -> PartitionLease? {
        try await withConnection { db in
            guard let row = try await db.rows("""
                UPDATE partition_lease SET expires_at = now() + make_interval(secs => \(duration))
                WHERE partition = \(lease.partition) AND owner = \(lease.owner) AND epoch = \(lease.epoch)
                  AND expires_at > now()
                RETURNING expires_at
                """).first else { return nil }
            var renewed = lease
            renewed.expiresAt = try row.decode(Date.self)
            return renewed
        }
    }

    /// `renewLease` for several leases in one statement (one round trip per keeper tick,
    /// whatever it holds): the leases renewed, by partition; a lease missing was lost.
    package func renewLeases(_ leases: [PartitionLease], duration: Double) async throws -> [Int: PartitionLease] {
        guard !leases.isEmpty else { return [:] }
        let partitions = leases.map(\.partition), owners = leases.map(\.owner), epochs = leases.map(\.epoch)
        let rows = try await withConnection { db in
            try await db.rows("""
                UPDATE partition_lease l SET expires_at = now() + make_interval(secs => \(duration))
                FROM unnest(\(partitions)::int8[], \(owners)::text[], \(epochs)::int8[]) AS u(partition, owner, epoch)
                WHERE l.partition = u.partition AND l.owner = u.owner AND l.epoch = u.epoch AND l.expires_at > now()
                RETURNING l.partition, l.expires_at
                """)
        }
        let byPartition = Dictionary(leases.map { ($0.partition, $0) }, uniquingKeysWith: { first, _ in first })
        var renewed: [Int: PartitionLease] = [:]
        for row in rows {
            let (partition, expiresAt) = try row.decode((Int, Date).self)
            guard var lease = byPartition[partition] else { continue }
            lease.expiresAt = expiresAt
            renewed[partition] = lease
        }
        return renewed
    }

    /// Gives a lease back (a graceful handoff): the partition is free at once. Like a
    /// takeover, it locks the row `FOR UPDATE` first, so it waits for the owner's open
    /// fenced transactions, and none commits after the release.
    package func releaseLease(_ lease: PartitionLease) async throws {
        try await transaction { db in
            try await db.execute("SELECT 1 FROM partition_lease WHERE partition = \(lease.partition) FOR UPDATE")
            try await db.execute("""
                UPDATE partition_lease SET owner = NULL, expires_at = NULL
                WHERE partition = \(lease.partition) AND owner = \(lease.owner) AND epoch = \(lease.epoch)
                """)
        }
    }

    /// The current grant of a partition, if any (for status and tests).
    package func currentLease(partition: Int) async throws -> PartitionLease? {
        try await withConnection { db in
            guard let row = try await db.rows("""
                SELECT owner, epoch, expires_at FROM partition_lease
                WHERE partition = \(partition) AND owner IS NOT NULL AND expires_at > now()
                """).first else { return nil }
            let (owner, epoch, expiresAt) = try row.decode((String, Int64, Date).self)
            return PartitionLease(partition: partition, owner: owner, epoch: epoch, expiresAt: expiresAt)
        }
    }

    /// Commits one engine step only while `lease` is still the partition's grant: the
    /// lease row is read `FOR KEY SHARE` first (`checkFence`), so a takeover or release
    /// (which lock that row `FOR UPDATE`) waits for this transaction, and this transaction
    /// fails with `fenced` — writing nothing — once a takeover happened or the lease expired.
    @discardableResult
    package func commit(_ step: DecisionCommit, now: Date, fencedBy lease: PartitionLease) async throws -> [Int64] {
        try await transaction { db in
            try await Self.checkFence(lease, in: db)
            return try await Self.apply(step, now: now, in: db)
        }
    }

    /// Under the task's `PartitionScope` (nothing without one): fences the caller's
    /// transaction by the lease of the engine's partition, or — in the dispatcher — of each
    /// partition among `vins`' (`checkFence`). A partition not held throws `notHeld`; a
    /// stale lease throws `fenced` after telling the scope, which stops the partition.
    static func fence(vins: some Sequence<String>, in db: PGConnection) async throws {
        guard let scope = PartitionScope.current else { return }
        let partitions = scope.partition.map { [$0] } ?? Set(vins.map { db.partition(ofVIN: $0) }).sorted()
        for partition in partitions {
            guard let lease = scope.lease(partition) else { throw PostgresStoreError.notHeld(partition: partition) }
            do {
                try await checkFence(lease, in: db)
            } catch let error as PostgresStoreError {
                db.logger.error("write refused: the partition's lease passed to another instance; stopping it", metadata: [
                    "partition": "\(partition)", "epoch": "\(lease.epoch)"])
                scope.fenced(partition)
                throw error
            }
        }
    }

    /// Throws `fenced` unless `lease` is the partition's current, unexpired grant; holds a
    /// `FOR KEY SHARE` lock on the lease row until the caller's transaction ends. That lock
    /// conflicts with the `FOR UPDATE` of a takeover or release (they wait for this
    /// transaction) but not with a renewal's UPDATE (`FOR NO KEY UPDATE`: only `partition`
    /// is a key), so the keeper's renewals never queue behind the partition's steps.
    static func checkFence(_ lease: PartitionLease, in db: PGConnection) async throws {
        guard let row = try await db.rows("""
            SELECT owner, epoch, expires_at > now() FROM partition_lease WHERE partition = \(lease.partition) FOR KEY SHARE
            """).first else { throw PostgresStoreError.fenced(partition: lease.partition, epoch: lease.epoch) }
        let (owner, epoch, valid) = try row.decode((String?, Int64, Bool?).self)
        guard owner == lease.owner, epoch == lease.epoch, valid == true else {
            throw PostgresStoreError.fenced(partition: lease.partition, epoch: lease.epoch)
        }
    }
}

extension PostgresStore {
    /// Every partition granted now (owner set, not expired in the database's clock).
    package func currentLeases() async throws -> [PartitionLease] {
        try await withConnection { db in
            try await db.rows("""
                SELECT partition, owner, epoch, expires_at FROM partition_lease
                WHERE owner IS NOT NULL AND expires_at > now() ORDER BY partition
                """).map { row in
                let (partition, owner, epoch, expiresAt) = try row.decode((Int, String, Int64, Date).self)
                return PartitionLease(partition: partition, owner: owner, epoch: epoch, expiresAt: expiresAt)
            }
        }
    }
}

extension PostgresStore {
    /// Seconds (database clock) until the first unexpired lease of another owner than
    /// `owner` expires; nil when no other owner holds one.
    package func nextLeaseExpiry(notOwnedBy owner: String) async throws -> Double? {
        try await withConnection { db in
            try await db.value("""
                SELECT extract(epoch FROM min(expires_at) - now())::float8 FROM partition_lease
                WHERE owner IS NOT NULL AND owner <> \(owner) AND expires_at > now()
                """, as: Double?.self) ?? nil
        }
    }

    /// Says `owner` is alive for `duration` seconds (database clock); returns how many
    /// instances are alive now, `owner` included, to share the partitions among.
    ///
    /// A member counts while its process lives and announces itself: its session holds an
    /// advisory lock named after it (`memberLockClass`, `hashtext(owner)`), which the
    /// server drops as soon as the process dies (a `kill -9` closes its connections), and
    /// it announced itself within the last two thirds of `duration` (two keeper ticks; a
    /// frozen instance keeps its session). Counting every row not expired kept a dead
    /// instance — and a restarted one killed again at once — for a whole lease: three live
    /// instances then had a share of ⌈16/4⌉ = 4 each, 12 partitions, and none took the
    /// dead one's when its leases expired (cluster-test, seed 7: 8.4–10.4 s takeovers).
    package func announceMember(_ owner: String, duration: Double) async throws -> Int {
        try await withConnection { db in
            _ = try await db.rows("SELECT pg_try_advisory_lock(\(Self.memberLockClass), hashtext(\(owner)))")
            try await db.execute("""
                INSERT INTO partition_member (owner, expires_at) VALUES (\(owner), now() + make_interval(secs => \(duration)))
                ON CONFLICT (owner) DO UPDATE SET expires_at = EXCLUDED.expires_at
                """)
            return try await db.value("""
                SELECT count(*) FROM partition_member m
                WHERE m.expires_at > now() + make_interval(secs => \(duration / 3))
                  AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                              AND l.classid = \(Self.memberLockClass)::oid AND l.objid = hashtext(m.owner)::oid)
                """, as: Int.self) ?? 1
        }
    }

    /// The first key of the advisory lock a member's session holds ("vgmb" in ASCII).
    static let memberLockClass: Int32 = 0x7667_6D62

    /// `owner` leaves (a graceful shutdown): the others' shares grow at their next tick.
    package func withdrawMember(_ owner: String) async throws {
        try await withConnection { db in try await db.execute("DELETE FROM partition_member WHERE owner = \(owner)") }
    }
}
