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
}
