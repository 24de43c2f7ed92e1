import Foundation
import Logging
import OutcomeStore
import PostgresStore
import XCTest

/// Several instances sharing partitions through their leases (`PartitionKeeper`): a fair
/// split, a graceful handoff when an instance joins, a takeover when one stops renewing
/// (lease expiry in the database's clock), and the stopped one — a zombie — fenced.
final class PostgresPartitionKeeperTests: XCTestCase {
    private static let step = DecisionCommit(scope: "serve", decisions: [
        DecisionRecord(at: Date(timeIntervalSince1970: 1_772_488_800), vin: "V1", bundle: "b", rule: "r", event: .fired,
                       actions: [.notify("hello")]),
    ])

    private static func keeper(_ store: PostgresStore, _ owner: String, duration: Double) -> PartitionKeeper {
        var logger = Logger(label: "vigie.test.partitions")
        logger.logLevel = .critical
        return PartitionKeeper(store: store, owner: owner, count: 8, duration: duration, logger: logger)
    }

    func testInstancesSplitThePartitionsAndTakeOverFromOneThatStopsRenewing() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let a = Self.keeper(store, "a", duration: 2)
            let b = Self.keeper(store, "b", duration: 2)

            let first = await a.tick()
            XCTAssertEqual(first.gained.map(\.partition), Array(0..<8), "alone, a takes every partition")
            let nothing = await b.tick()
            XCTAssertTrue(nothing.gained.isEmpty, "b takes nothing a holds")
            let handoff = await a.tick()
            XCTAssertEqual(handoff.released.sorted(), [4, 5, 6, 7], "a gives back what is above its share")
            let joined = await b.tick()
            XCTAssertEqual(joined.gained.map(\.partition), [4, 5, 6, 7], "a released partition is free at once")
            XCTAssertEqual(Set(a.owned.keys), [0, 1, 2, 3])
            XCTAssertEqual(Set(b.owned.keys), [4, 5, 6, 7])
            let steady = await a.tick()
            XCTAssertEqual(steady, PartitionKeeper.Changes(), "a steady split changes nothing")

            // a stops renewing (killed, or SIGSTOPped: a zombie that keeps its old leases).
            let zombie = try XCTUnwrap(a.lease(of: 2))
            try await store.commit(Self.step, now: Date(), fencedBy: zombie)
            let stopped = ContinuousClock.now
            var takenOver: [Int] = []
            let deadline = Date().addingTimeInterval(10)
            while Set(b.owned.keys) != Set(0..<8), Date() < deadline {
                takenOver += await b.tick().gained.map(\.partition)
                try await Task.sleep(for: .milliseconds(200))
            }
            let took = ContinuousClock.now - stopped
            XCTAssertEqual(Set(b.owned.keys), Set(0..<8), "b took every partition over")
            XCTAssertEqual(takenOver.sorted(), [0, 1, 2, 3])
            XCTAssertLessThan(took, .seconds(4), "takeover within the lease time (2 s) and a tick")
            XCTAssertTrue(a.owned.isEmpty, "a no longer trusts leases it could not renew")
            let current = try await store.currentLease(partition: 2)
            XCTAssertEqual(current?.owner, "b")
            XCTAssertEqual(current?.epoch, zombie.epoch + 1, "a takeover bumps the epoch")

            // The zombie wakes up: its write is fenced, its renewals refused.
            do {
                try await store.commit(Self.step, now: Date(), fencedBy: zombie)
                XCTFail("a stale epoch committed")
            } catch let error as PostgresStoreError {
                XCTAssertEqual(error, .fenced(partition: 2, epoch: zombie.epoch))
            }
            let count = try await store.decisionCount()
            XCTAssertEqual(count, 1, "only the owner's step was written")
            let woke = await a.tick()
            XCTAssertEqual(woke.lost.sorted(), [0, 1, 2, 3], "the zombie learns it lost every partition")
            XCTAssertTrue(woke.gained.isEmpty)

            // A graceful shutdown gives everything back at once.
            await b.releaseAll()
            let left = try await store.currentLeases()
            XCTAssertTrue(left.isEmpty)
        }
    }

    /// A killed instance's member row lives on for the lease time, and a restarted one joins
    /// under a new name: counting rows not expired, a dead instance (c) and a restarted one
    /// that died at once (the ghost) made four members for two live instances, which gave
    /// partitions back to the ghost and, at a share of ⌈8/4⌉ = 2, left c's partitions
    /// unowned after its leases expired. A member counts only while its session lives
    /// (and it announced itself within two ticks).
    func testMembersThatDiedDoNotShrinkTheShare() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            // c and the ghost are processes of their own: their own connection, closed when they die.
            let (cStore, ghostStore) = (store.leaseStore(), store.leaseStore())
            let cRuns = Task { await cStore.run() }
            let ghostRuns = Task { await ghostStore.run() }
            let a = Self.keeper(store, "a", duration: 3)
            let b = Self.keeper(store, "b", duration: 3)
            let c = Self.keeper(cStore, "c", duration: 3)
            _ = await a.tick()
            _ = await b.tick()
            _ = await c.tick()
            _ = await a.tick()   // gives back above ⌈8/3⌉ = 3
            _ = await b.tick()
            _ = await c.tick()   // c's last renewal
            XCTAssertEqual(a.owned.count + b.owned.count + c.owned.count, 8)
            let dead = Set(c.owned.keys)
            XCTAssertFalse(dead.isEmpty)
            let died = Date()
            let ghost = Self.keeper(ghostStore, "c-restarted", duration: 3)
            _ = await ghost.tick()   // c restarted, then killed again at once
            cRuns.cancel()           // both processes are gone: their connections close
            ghostRuns.cancel()
            await cRuns.value
            await ghostRuns.value
            try await Task.sleep(for: .milliseconds(300))
            for _ in 0..<2 {        // a and b keep ticking every third of the lease
                let (fromA, fromB) = (await a.tick(), await b.tick())
                XCTAssertEqual(fromA.released + fromB.released, [], "nothing is given back to dead members")
                try await Task.sleep(for: .seconds(1))
            }
            // c's leases expire (database clock); the first round after that takes them.
            while try await !store.currentLeases().filter({ $0.owner == "c" }).isEmpty {
                XCTAssertLessThan(Date().timeIntervalSince(died), 5, "c's leases expire after 3 s")
                try await Task.sleep(for: .milliseconds(50))
            }
            _ = await a.tick()
            _ = await b.tick()
            XCTAssertEqual(Set(a.owned.keys).union(b.owned.keys), Set(0..<8),
                           "the live instances hold every partition at the first tick after c's leases expired")
            XCTAssertTrue(dead.isSubset(of: Set(a.owned.keys).union(b.owned.keys)))
        }
    }

    /// A keeper with room under its share says when another instance's lease expires
    /// (`nextExpiry`), so that `vigie serve` ticks again then rather than up to a third of
    /// the lease later; ticking then takes a dead owner's partitions.
    func testAKeeperWithRoomSaysWhenTheNextLeaseExpires() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let a = Self.keeper(store, "a", duration: 3)
            let b = Self.keeper(store, "b", duration: 3)
            _ = await a.tick()
            let none = try await store.nextLeaseExpiry(notOwnedBy: "a")
            XCTAssertNil(none, "nobody else holds a lease")
            let waiting = await b.tick()
            XCTAssertTrue(waiting.gained.isEmpty)
            let lease = try await store.currentLease(partition: 0)
            let expires = try XCTUnwrap(lease).expiresAt.timeIntervalSinceNow
            let next = try XCTUnwrap(waiting.nextExpiry, "b has room (share 4) and a's leases expire")
            XCTAssertEqual(next, expires, accuracy: 0.5)
            _ = await a.tick()   // gives back above ⌈8/2⌉ = 4
            let full = await b.tick()
            XCTAssertEqual(full.gained.count, 4)
            XCTAssertNil(full.nextExpiry, "at its share, b has no room")

            // a dies after its last tick; b ticks every third of the lease, then when told.
            let died = ContinuousClock.now
            _ = await a.tick()
            var taken: [Int] = []
            while ContinuousClock.now - died < .seconds(8) {
                let changes = await b.tick()
                taken += changes.gained.map(\.partition)
                if taken.count >= 4 { break }
                try await Task.sleep(for: .seconds(min(1, max(0.05, (changes.nextExpiry ?? .infinity) + 0.05))))
            }
            XCTAssertEqual(taken.sorted(), [0, 1, 2, 3], "b took a's partitions")
            XCTAssertLessThan(ContinuousClock.now - died, .seconds(3.6),
                              "at the lease's expiry (3 s), not a tick later")
        }
    }
}
