import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Synchronization
import XCTest

/// The partition keeper renews on a client of its own (`PostgresStore.leaseStore`): a
/// pool kept busy by engines, receivers and dispatchers never delays a renewal.
final class PostgresLeaseStoreTests: XCTestCase {
    func testRenewalsGoThroughWhileTheSharedPoolIsExhausted() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let leases = store.leaseStore()
            XCTAssertFalse(leases === store, "a store made from settings gets a client of its own")
            let runLeases = Task { await leases.run() }
            defer { runLeases.cancel() }
            var logger = Logger(label: "vigie.test.leases")
            logger.logLevel = .critical
            let keeper = PartitionKeeper(store: leases, owner: "a", count: 4, duration: 30, logger: logger)

            // Hold every connection of the shared pool (20) until `release`.
            let held = HeldCount()
            let (release, releasing) = AsyncStream.makeStream(of: Void.self)
            let gate = Task { for await _ in release {} }
            let (acquired, acquiring) = AsyncStream.makeStream(of: Void.self)
            let holders = (0..<20).map { _ in
                Task {
                    try await store.client.withConnection { _ in
                        if held.count.withLock({ $0 += 1; return $0 }) == 20 { acquiring.finish() }
                        await gate.value
                    }
                }
            }
            for await _ in acquired {}
            XCTAssertEqual(held.count.withLock { $0 }, 20)

            // The shared pool answers nothing now; the keeper's own connection does.
            let blocked = Task { try await store.currentLeases() }
            // Two rounds on the keeper's connection, bounded: on the shared pool they would
            // wait for as long as the pool is held (the bound then releases it, and fails).
            let rounds = Task { (await keeper.tick(), await keeper.tick()) }
            let bound = Task { () -> Bool in
                do { try await Task.sleep(for: .seconds(20)) } catch { return false }
                releasing.finish()
                return true
            }
            let (first, second) = await rounds.value
            bound.cancel()
            let waitedForThePool = await bound.value
            XCTAssertFalse(waitedForThePool, "the keeper waited for the shared pool")
            XCTAssertEqual(first.gained.map(\.partition), [0, 1, 2, 3])
            XCTAssertEqual(second, PartitionKeeper.Changes(), "every lease renewed")
            XCTAssertEqual(Set(keeper.owned.keys), [0, 1, 2, 3])

            releasing.finish()
            for holder in holders { try await holder.value }
            let seen = try await blocked.value
            XCTAssertEqual(seen.count, 4, "the shared pool sees the leases once it has a connection again")
        }
    }
}

private final class HeldCount: Sendable {
    let count = Mutex(0)
}
