import Foundation
import OutcomeStore
import PostgresNIO
import PostgresStore
import Synchronization
import VehicleData
import XCTest

/// What one instance may read and write under a `PartitionScope` (docs/cluster.md
/// "Partitions in `vigie serve`"): its partitions' rows only, every write fenced by the
/// lease of the vehicle's partition, and a command another instance left `sending` hidden
/// until its POST deadline has passed in the database's clock.
final class PostgresPartitionScopeTests: XCTestCase {
    static let count = 64

    /// Small fixtures (the conformance suite's are internal to its module).
    private enum C {
        static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: 1_772_488_800 + seconds) }

        static func fired(_ seconds: Double, vin: String) -> DecisionRecord {
            DecisionRecord(at: at(seconds), vin: vin, bundle: "b", rule: "r", event: .fired,
                           actions: [.remote(.object(["charging": .object(["immediate": .bool(true)])]))])
        }

        static func notification(_ key: String, vin: String) -> IntakeBatch.Notification {
            .init(dedupKey: key, vin: vin, type: "Status", eventDate: "2026-03-02T22:00:00Z", body: "{\"k\":\"\(key)\"}")
        }

        /// Queues one command per decision (no scope) and returns their dispatch items.
        static func queue(_ decisions: [DecisionRecord], in store: PostgresStore) async throws -> [DispatchItem] {
            try await store.commit(DecisionCommit(scope: "serve", decisions: decisions), now: at(0))
            return try await store.nextDispatchItems(at: at(3600), limit: 1000)
        }
    }

    /// Two VINs in different partitions.
    static let vins: (String, String) = {
        let first = "V1"
        let other = (2 ... 99).map { "V\($0)" }.first {
            PartitionLease.partition(ofVIN: $0, count: count) != PartitionLease.partition(ofVIN: first, count: count)
        }!
        return (first, other)
    }()

    private final class Held: Sendable {
        let leases = Mutex<[Int: PartitionLease]>([:])
        let fenced = Mutex<[Int]>([])

        func scope(postDeadline: Double = 5) -> PartitionScope {
            PartitionScope(count: PostgresPartitionScopeTests.count, postDeadline: postDeadline,
                           lease: { [self] p in leases.withLock { $0[p] } },
                           owned: { [self] in leases.withLock { $0.keys.sorted() } },
                           fenced: { [self] p in fenced.withLock { $0.append(p) } })
        }
    }

    func testClaimsAreFencedAndAnotherInstancesSendingCommandWaitsForItsDeadline() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let (mine, theirs) = Self.vins
            let partition = PartitionLease.partition(ofVIN: mine, count: Self.count)
            let granted = try await store.acquireLease(partition: partition, owner: "a", duration: 60)
            let held = Held()
            held.leases.withLock { $0[partition] = granted }
            let items = try await C.queue([C.fired(1, vin: mine), C.fired(2, vin: theirs)], in: store)
            try await PartitionScope.$current.withValue(held.scope()) {
                let next = try await store.nextDispatchItems(at: C.at(10), limit: 10)
                XCTAssertEqual(next.map(\.vin), [mine], "only the partitions held are seen")
                let claims = try await store.beginAttempts(outboxIds: items.map(\.outboxId), at: C.at(10))
                guard case .success(1) = claims[0] else { return XCTFail("own claim: \(claims[0])") }
                guard case .failure(.notClaimable) = claims[1] else { return XCTFail("a partition not held: \(claims[1])") }

                // Just claimed: hidden from a follow-up until the POST deadline (5 s, database clock).
                var inFlight = try await store.inFlightDispatchItems()
                XCTAssertEqual(inFlight.count, 0, "a fresh sending command was shown before its deadline")
                try await store.client.query(
                    "UPDATE action_attempt SET claimed_at = now() - interval '6 seconds'").consumeAll()
                inFlight = try await store.inFlightDispatchItems()
                XCTAssertEqual(inFlight.map(\.vin), [mine])

                // Another instance takes the partition over: the acceptance is refused and the
                // partition reported; nothing is recorded.
                try await store.client.query(
                    "UPDATE partition_lease SET expires_at = now() - interval '1 second' WHERE partition = \(partition)")
                    .consumeAll()
                let taken = try await store.acquireLease(partition: partition, owner: "b", duration: 60)
                XCTAssertEqual(taken?.epoch, (granted?.epoch ?? 0) + 1)
                do {
                    _ = try await store.recordDispatchAccepted(actionId: items[0].actionId, remoteActionId: "ra-1",
                                                               httpStatus: 200, at: C.at(11), retry: { _, _ in nil })
                    XCTFail("a stale owner's acceptance was recorded")
                } catch let error as PostgresStoreError {
                    XCTAssertEqual(error, .fenced(partition: partition, epoch: granted?.epoch ?? -1))
                }
                XCTAssertEqual(held.fenced.withLock { $0 }, [partition])
            }
            let attempts = try await store.attempts(actionId: items[0].actionId)
            XCTAssertEqual(attempts.map(\.outcome), ["sending"], "the fenced acceptance wrote nothing")
            let others = try await store.attempts(actionId: items[1].actionId)
            XCTAssertEqual(others.count, 0)
        }
    }

    func testAPartitionsEngineReadsItsOwnRowsInCommitOrderAndItsStepIsFenced() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let (mine, theirs) = Self.vins
            let partition = PartitionLease.partition(ofVIN: mine, count: Self.count)
            _ = try await store.appendIntake([IntakeBatch(notifications: [
                C.notification("k1", vin: mine), C.notification("k2", vin: theirs), C.notification("k3", vin: mine),
            ])], at: C.at(0))
            let held = Held()
            let rows = try await PartitionScope.$current.withValue(held.scope().only(partition)) {
                try await store.unprocessedInbox(after: 0, limit: 10)
            }
            XCTAssertEqual(rows.map(\.dedupKey), ["k1", "k3"])
            XCTAssertEqual(rows.compactMap(\.id), rows.compactMap(\.id).sorted())
            // Its step without the lease: refused, nothing written.
            let step = DecisionCommit(scope: "serve/p\(partition)", decisions: [C.fired(1, vin: mine)],
                                      processedInboxIds: rows.compactMap(\.id))
            do {
                try await PartitionScope.$current.withValue(held.scope().only(partition)) {
                    _ = try await store.commit(step, now: C.at(1))
                }
                XCTFail("a step of a partition not held was committed")
            } catch let error as PostgresStoreError {
                XCTAssertEqual(error, .notHeld(partition: partition))
            }
            let none = try await store.decisionCount()
            XCTAssertEqual(none, 0)
            let granted = try await store.acquireLease(partition: partition, owner: "a", duration: 60)
            held.leases.withLock { $0[partition] = granted }
            try await PartitionScope.$current.withValue(held.scope().only(partition)) {
                _ = try await store.commit(step, now: C.at(1))
            }
            let one = try await store.decisionCount()
            XCTAssertEqual(one, 1)
        }
    }

    func testTheDatabaseKeepsItsPartitionCount() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            try await store.preparePartitions()
            try await store.preparePartitions()   // the same P again: fine
            var settings = cluster.settings
            let url = try await cluster.url(of: store)
            settings.database = String(try XCTUnwrap(URLComponents(string: url)?.path.dropFirst()))
            let other = PostgresStore(settings: settings, partitions: 16, logger: .init(label: "test"))
            let run = Task { await other.run() }
            defer { run.cancel() }
            do {
                try await other.preparePartitions()
                XCTFail("a store with another partition count was accepted")
            } catch let error as PostgresStoreError {
                XCTAssertEqual(error, .partitionCount(database: 64, configured: 16))
                XCTAssertTrue("\(error)".contains("store.postgres.partitions is fixed per deployment"), "\(error)")
            }
        }
    }
}
