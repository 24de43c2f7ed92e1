import Foundation
import Logging
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

    /// The keeper's one-statement renewal: each lease comes back renewed only when
    /// `renewLease` alone would renew it (held, same epoch, not expired).
    func testRenewingSeveralLeasesAtOnceRenewsOnlyTheOnesStillHeld() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            var leases: [PartitionLease] = []
            for partition in 0..<4 {
                let granted = try await store.acquireLease(partition: partition, owner: "a", duration: 60)
                leases.append(try XCTUnwrap(granted))
            }
            try await expire(1, in: store)
            try await expire(2, in: store)
            let taken = try await store.acquireLease(partition: 2, owner: "b", duration: 60)
            XCTAssertEqual(taken?.epoch, 2)
            let stale = PartitionLease(partition: 3, owner: "a", epoch: 7, expiresAt: Date())
            let renewed = try await store.renewLeases([leases[0], leases[1], leases[2], stale], duration: 120)
            XCTAssertEqual(renewed.keys.sorted(), [0], "only the lease still held is renewed")
            XCTAssertEqual(renewed[0]?.epoch, 1)
            XCTAssertGreaterThan(try XCTUnwrap(renewed[0]).expiresAt, leases[0].expiresAt)
            let none = try await store.renewLeases([], duration: 60)
            XCTAssertTrue(none.isEmpty)
        }
    }

    /// A renewal must not wait for the owner's own fenced steps: under load the keeper's
    /// renewals queued behind them past the trust window (chaos run: 44 partitions dropped
    /// as "no longer trusted"). The step is held open after its fence check (it waits for a
    /// table lock the test holds); the renewal must return while it is still open.
    func testARenewalDoesNotWaitForTheOwnersOpenFencedStep() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let acquired = try await store.acquireLease(partition: 0, owner: "a", duration: 60)
            let lease = try XCTUnwrap(acquired)
            let blocker = try await StepBlocker(store)
            let step = Task { try await store.commit(Self.step, now: Date(), fencedBy: lease) }
            let stepPID = try await blocker.waitForLockWait(matching: "%engine_checkpoint%")
            let renewed = try await withThrowingTaskGroup(of: PartitionLease??.self) { group in
                group.addTask { .some(try await store.renewLease(lease, duration: 60)) }
                // Only a bound for the failure (the renewal waits until the step ends): a
                // renewal that does not wait returns in milliseconds.
                group.addTask { try await Task.sleep(for: .seconds(10)); return .none }
                let first = try await group.next() ?? nil
                let stillOpen = try await blocker.isWaiting(stepPID)
                await blocker.release()
                group.cancelAll()
                XCTAssertTrue(stillOpen, "the step ended before the renewal was checked")
                return first
            }
            XCTAssertNotNil(renewed, "the renewal waited for the owner's open fenced step")
            XCTAssertEqual(renewed??.epoch, lease.epoch)
            try await step.value
            let count = try await store.decisionCount()
            XCTAssertEqual(count, 1, "the owner's step commits after the renewal")
        }
    }

    /// Fencing stays as strong with the lighter lock: a takeover waits for the stale owner's
    /// open fenced step (whose fence check passed before the lease expired), so that step
    /// commits before the new epoch exists, never after it.
    func testATakeoverWaitsForTheStaleOwnersOpenFencedStep() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let acquired = try await store.acquireLease(partition: 0, owner: "a", duration: 60)
            let a = try XCTUnwrap(acquired)
            let blocker = try await StepBlocker(store)
            let step = Task { try await store.commit(Self.step, now: Date(), fencedBy: a) }
            let stepPID = try await blocker.waitForLockWait(matching: "%engine_checkpoint%")
            try await expire(0, in: store)
            let takeover = Task { try await store.acquireLease(partition: 0, owner: "b", duration: 60) }
            let takeoverPID = try await blocker.waitForLockWait(matching: "%partition_lease%")
            let blockers = try await blocker.blockingPIDs(of: takeoverPID)
            XCTAssertTrue(blockers.contains(stepPID), "the takeover waits for \(blockers), not for the step \(stepPID)")
            await blocker.release()
            try await step.value
            let b = try await takeover.value
            XCTAssertEqual(b?.epoch, 2, "the takeover after the step")
            let count = try await store.decisionCount()
            XCTAssertEqual(count, 1, "the stale owner's step committed before the takeover")
            await XCTAssertFenced(try await store.commit(Self.step, now: Date(), fencedBy: a), "a step after the takeover")
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

/// Holds `engine_checkpoint` locked (SHARE) in a transaction of its own until `release()`,
/// so a step committed meanwhile stops after its fence check — its lease-row lock held —
/// at its checkpoint write. Also reads the server's view of who waits for whom.
private final class StepBlocker: Sendable {
    private let store: PostgresStore
    private let done: AsyncStream<Void>.Continuation
    private let holder: Task<Void, any Error>

    init(_ store: PostgresStore) async throws {
        self.store = store
        let (gate, done) = AsyncStream<Void>.makeStream()
        let (locked, lockedDone) = AsyncStream<Void>.makeStream()
        self.done = done
        holder = Task {
            try await store.client.withConnection { connection in
                let logger = Logger(label: "vigie.test.blocker")
                try await connection.query("BEGIN", logger: logger).consumeAll()
                try await connection.query("LOCK TABLE engine_checkpoint IN SHARE MODE", logger: logger).consumeAll()
                lockedDone.finish()
                for await _ in gate {}
                try await connection.query("ROLLBACK", logger: logger).consumeAll()
            }
        }
        for await _ in locked {}
    }

    func release() async {
        done.finish()
        _ = await holder.result
    }

    /// The pid of the backend whose statement matches `pattern` once it waits for a lock.
    func waitForLockWait(matching pattern: String) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let rows = try await store.client.query("""
                SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND wait_event_type = 'Lock' AND query LIKE \(pattern)
                """).collect()
            if let pid = try rows.first?.decode(Int32.self) { return pid }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PostgresStoreError.corrupt("no statement like \(pattern) waited for a lock within 30 s")
    }

    func isWaiting(_ pid: Int32) async throws -> Bool {
        try await store.client.query("""
            SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid) AND wait_event_type = 'Lock'
            """).collect().first?.decode(Int.self) == 1
    }

    func blockingPIDs(of pid: Int32) async throws -> [Int32] {
        try await store.client.query("SELECT unnest(pg_blocking_pids(\(pid)))").collect().map { try $0.decode(Int32.self) }
    }
}
