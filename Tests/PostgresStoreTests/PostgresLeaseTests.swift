import Foundation
import OutcomeStore
import PostgresNIO
import PostgresStore
import Synchronization
import XCTest

/// Partition leases in the database's clock, and fencing: a stale owner's step writes nothing.
final class PostgresLeaseTests: XCTestCase {
    private static let step = DecisionCommit(scope: "serve", decisions: [
        DecisionRecord(at: Date(timeIntervalSince1970: 1_772_488_800), vin: "V1", bundle: "b", rule: "r", event: .fired,
                       actions: [.notify("hello")]),
    ], checkpoint: .init(position: 1))

    /// Ends a lease now, as if its duration had passed (the database's clock decides).
    private func expire(_ partition: Int, in store: PostgresStore) async throws {
        try await store.client.query(
            "UPDATE partition_lease SET expires_at = now() - interval '1 second' WHERE partition = \(partition)").consumeAll()
    }

    func testALeaseIsExclusiveUntilItExpiresAndEachTakeoverBumpsTheEpoch() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let a = try await store.acquireLease(partition: 3, owner: "a", duration: 60)
            XCTAssertEqual(a?.epoch, 1)
            let taken = try await store.acquireLease(partition: 3, owner: "b", duration: 60)
            XCTAssertNil(taken, "b took a partition a holds")
            let again = try await store.acquireLease(partition: 3, owner: "a", duration: 60)
            XCTAssertEqual(again?.epoch, 1, "a renewing by acquiring keeps its epoch")
            let renewed = try await store.renewLease(try XCTUnwrap(a), duration: 60)
            XCTAssertEqual(renewed?.epoch, 1)
            let owner = try await store.currentLease(partition: 3)?.owner
            XCTAssertEqual(owner, "a")

            try await expire(3, in: store)
            let afterExpiry = try await store.currentLease(partition: 3)
            XCTAssertNil(afterExpiry)
            let renewLate = try await store.renewLease(try XCTUnwrap(a), duration: 60)
            XCTAssertNil(renewLate, "an expired lease was renewed")
            let b = try await store.acquireLease(partition: 3, owner: "b", duration: 60)
            XCTAssertEqual(b?.epoch, 2)
            let renewStale = try await store.renewLease(try XCTUnwrap(a), duration: 60)
            XCTAssertNil(renewStale, "a renewed after b's takeover")

            try await store.releaseLease(try XCTUnwrap(b))
            let afterRelease = try await store.currentLease(partition: 3)
            XCTAssertNil(afterRelease)
            let c = try await store.acquireLease(partition: 3, owner: "c", duration: 60)
            XCTAssertEqual(c?.epoch, 3, "a released partition is free at once")
            let other = try await store.acquireLease(partition: 4, owner: "a", duration: 60)
            XCTAssertEqual(other?.epoch, 1, "partitions are independent")
        }
    }

    func testAStaleOwnersStepIsFencedAndWritesNothing() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let granted = try await store.acquireLease(partition: 0, owner: "a", duration: 60)
            let a = try XCTUnwrap(granted)
            try await store.commit(Self.step, now: Date(), fencedBy: a)
            var count = try await store.decisionCount()
            XCTAssertEqual(count, 1, "the owner's step")

            try await expire(0, in: store)
            await XCTAssertFenced(try await store.commit(Self.step, now: Date(), fencedBy: a), "an expired lease")
            let takeover = try await store.acquireLease(partition: 0, owner: "b", duration: 60)
            let b = try XCTUnwrap(takeover)
            await XCTAssertFenced(try await store.commit(Self.step, now: Date(), fencedBy: a), "a taken-over lease")
            count = try await store.decisionCount()
            XCTAssertEqual(count, 1, "a fenced step wrote a decision")
            let position = try await store.engineState(scope: "serve").checkpoint?.position
            XCTAssertEqual(position, 1)
            try await store.commit(Self.step, now: Date(), fencedBy: b)
            count = try await store.decisionCount()
            XCTAssertEqual(count, 2, "the new owner's step")
            await XCTAssertFenced(try await store.commit(Self.step, now: Date(),
                                                         fencedBy: PartitionLease(partition: 9, owner: "b", epoch: 1,
                                                                                  expiresAt: Date())),
                                  "a partition never granted")
        }
    }

    /// The chaos harness's `dbkill`: the server terminates an instance's connections while
    /// steps run on them. Each step must end (committed, or failed with an error) — a step
    /// left waiting on a closed connection kept `vigie serve` from ever finishing its
    /// SIGTERM. postgres-nio 1.33 leaves such a statement waiting; `PGConnection` fails it
    /// when the connection closes.
    func testStepsOnConnectionsTheServerKillsEndWithAnError() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let database = try await store.client.query("SELECT current_database()").collect().first?.decode(String.self)
            let name = try XCTUnwrap(database)
            let acquired = try await store.acquireLease(partition: 0, owner: "a", duration: 3600)
            let lease = try XCTUnwrap(acquired)
            var states: [String: Data] = [:]
            for v in 0..<30 { states["V\(v)"] = Data(repeating: 7, count: 2000) }
            let step = DecisionCommit(scope: "serve/p0", vehicleStates: states, checkpoint: .init(position: 1))
            let running = RunningCount()
            for round in 0..<40 {
                running.count.withLock { $0 = 6 }
                for _ in 0..<6 {
                    Task {
                        for _ in 0..<4 {
                            _ = try? await store.commit(step, now: Date(), fencedBy: lease)
                            _ = try? await store.currentLeases()
                        }
                        running.count.withLock { $0 -= 1 }
                    }
                }
                try await Task.sleep(nanoseconds: UInt64.random(in: 0...20_000_000))
                // From the cluster's own pool: the store's connections are the ones killed.
                try await cluster.admin.client.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name)
                    """).consumeAll()
                let deadline = ContinuousClock.now + .seconds(20)
                while running.count.withLock({ $0 }) > 0, ContinuousClock.now < deadline {
                    try await Task.sleep(nanoseconds: 10_000_000)
                }
                let left = running.count.withLock { $0 }
                guard left == 0 else {
                    return XCTFail("round \(round): \(left) of 6 callers still wait 20 s after their connections were killed")
                }
            }
            // And the store works afterwards.
            let leases = try await store.currentLeases()
            XCTAssertEqual(leases.map(\.partition), [0])
        }
    }

    func testPartitionsComeFromAStableHashOfTheVIN() {
        // FNV-1a 64 of the UTF-8 bytes: fixed values, whatever the process or build.
        XCTAssertEqual(PartitionLease.partition(ofVIN: "", count: 1 << 30), Int(0xcbf2_9ce4_8422_2325 % UInt64(1 << 30)))
        XCTAssertEqual(PartitionLease.partition(ofVIN: "a", count: 1 << 30), Int(0xaf63_dc4c_8601_ec8c % UInt64(1 << 30)))
        XCTAssertEqual(PartitionLease.partition(ofVIN: "VF3ABCDEFGH123456", count: 64),
                       PartitionLease.partition(ofVIN: "VF3ABCDEFGH123456", count: 64))
        var counts = [Int](repeating: 0, count: 16)
        for i in 0..<16_000 { counts[PartitionLease.partition(ofVIN: "VF3TEST\(100_000 + i)", count: 16)] += 1 }
        XCTAssertTrue(counts.allSatisfy { (800...1200).contains($0) }, "uneven partitions: \(counts)")
    }
}

private func XCTAssertFenced(_ expression: @autoclosure () async throws -> [Int64], _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("\(what): the step was committed", file: file, line: line)
    } catch let error as PostgresStoreError {
        guard case .fenced = error else { return XCTFail("\(what): \(error)", file: file, line: line) }
    } catch {
        XCTFail("\(what): \(error)", file: file, line: line)
    }
}

/// Callers still running (shared with their tasks).
private final class RunningCount: Sendable {
    let count = Mutex(0)
}
