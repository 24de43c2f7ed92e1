import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore
import RuleEngine
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import VigieRuntime

/// Issue 20: several `ServeRuntime`s on ONE PostgreSQL database (docs/cluster.md
/// "Partitions"). Notifications go to every instance in turn (a load balancer); each
/// vehicle is decided by the owner of its partition only, every notification once, every
/// command POSTed once — also when an owner dies with one command `sending` (its POST
/// applied, its answer lost) and one queued behind it per vehicle: the others take its
/// partitions, reconcile the `sending` ones by listing once the dead owner's POST
/// deadline passed in the database's clock, and send the queued ones once.
final class PartitionedServeTests: XCTestCase {
    static let partitions = 8
    /// Longer than a takeover (lease 2 s): the new owner must wait for it.
    static let postDeadline: Double = 8
    /// A command each time the level falls below 20, queued behind the previous one.
    static let rules = """
        vigie: 1
        bundle: test
        rules:
          - id: horn-when-low
            when: battery.level < 20
            mode: queued
            then:
              - horn: on
        """

    /// The fleet's API as seen by all instances: what was POSTed (each POST applied), the
    /// listings asked; the victim's POSTs are applied but never answered (`hang`).
    final class FleetAPI: VehicleAPI {
        struct Post: Sendable { var vin: String; var id: String; var body: Remote; var at: Date }
        struct Ledger { var posts: [Post] = []; var listings: [(vin: String, at: Date)] = []; var waiting: [CheckedContinuation<Void, Never>] = []; var open = false }
        let ledger: Mutex<Ledger>
        let hang: Bool
        private let shared: FleetAPI?

        init() { ledger = Mutex(Ledger()); hang = false; shared = nil }
        /// The same API whose answers to POSTs never come (until `release()`).
        init(hangingOver api: FleetAPI) { ledger = Mutex(Ledger()); hang = true; shared = api }

        private var root: FleetAPI { shared ?? self }
        var posts: [Post] { root.ledger.withLock { $0.posts } }
        var listings: [(vin: String, at: Date)] { root.ledger.withLock { $0.listings } }

        func postRemote(vin: String, body: Remote) async throws -> String {
            let id = root.ledger.withLock { l -> String in
                let id = "ra-\(vin)-\(l.posts.count)"
                l.posts.append(Post(vin: vin, id: id, body: body, at: Date()))
                return id
            }
            guard hang else { return id }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resume = ledger.withLock { l -> Bool in
                    if l.open { return true }
                    l.waiting.append(c)
                    return false
                }
                if resume { c.resume() }
            }
            throw CancellationError()   // the answer is lost
        }

        func release() {
            for c in ledger.withLock({ l -> [CheckedContinuation<Void, Never>] in
                l.open = true
                defer { l.waiting = [] }
                return l.waiting
            }) { c.resume() }
        }

        /// Every POST of the vehicle, applied and done.
        func remotes(vin: String) async throws -> [RemoteAction] {
            root.ledger.withLock { l in
                l.listings.append((vin, Date()))
                return l.posts.filter { $0.vin == vin }.map {
                    RemoteAction(remoteActionId: $0.id, status: .success, remote: $0.body)
                }
            }
        }

        func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
        var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
    }

    private struct Cluster {
        let admin: PostgresStore
        let observer: PostgresStore
        let settings: PostgresSettings
        let name: String
        let runs: [Task<Void, Never>]
    }

    private static func makeDatabase() async throws -> Cluster? {
        guard let base = ProcessInfo.processInfo.environment["VIGIE_TEST_POSTGRES_URL"], !base.isEmpty else {
            XCTFail("VIGIE_TEST_POSTGRES_URL is not set: run `eval \"$(scripts/pg-test-cluster.sh start)\"` or `bash .ci/run`")
            return nil
        }
        let logger = quietLogger()
        let admin = PostgresStore(settings: try PostgresSettings(url: base), logger: logger)
        let adminRun = Task { await admin.run() }
        let name = "vigie_parts_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased())"
        _ = try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")).collect()
        var settings = try PostgresSettings(url: base)
        settings.database = name
        let observer = PostgresStore(settings: settings, partitions: partitions, logger: logger)
        let observerRun = Task { await observer.run() }
        try await observer.migrate()
        return Cluster(admin: admin, observer: observer, settings: settings, name: name, runs: [adminRun, observerRun])
    }

    private static func drop(_ cluster: Cluster) async {
        cluster.runs[1].cancel()
        await cluster.runs[1].value
        _ = try? await cluster.admin.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(cluster.name) WITH (FORCE)"))
            .collect()
        cluster.runs[0].cancel()
        await cluster.runs[0].value
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "vigie.test.partitions")
        logger.logLevel = ProcessInfo.processInfo.environment["VIGIE_TEST_LOG"] == nil ? .critical : .info
        return logger
    }

    private static func instance(_ cluster: Cluster, h: ServeHarness, vins: [String], api: any VehicleAPI) throws -> ServeRuntime {
        var settings = RuntimeSettings(port: 0, webhookSecret: h.secret, remoteTimeout: 120, retryBase: 5)
        settings.partitions = VigieConfig.Partitions(count: partitions, lease: 2, postDeadline: Self.postDeadline)
        // The victim's POSTs never answer, so each holds one of its dispatcher's slots: with
        // the default 8 slots, a victim owning 9 or more vehicles (3 partitions of 3–4) could
        // never POST the rest, and the wait for "every vehicle POSTed" timed out.
        settings.dispatchConcurrency = vins.count
        let store = PostgresStore(settings: cluster.settings, partitions: partitions, logger: quietLogger())
        return ServeRuntime(settings: settings, postgres: store, controlMirror: nil,
                            bundles: try ServeHarness.bundles(rules),
                            inventory: Inventory(vehicles: vins.map { Inventory.Vehicle(vin: $0) }),
                            clock: h.clock, logger: quietLogger()) { api }
    }

    private static func ints(_ store: PostgresStore, _ sql: String) async throws -> [Int] {
        var out: [Int] = []
        for try await row in try await store.client.query(PostgresQuery(unsafeSQL: sql)) { out.append(try row.decode(Int.self)) }
        return out
    }

    /// Owner → partitions held now.
    private static func split(_ store: PostgresStore) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for lease in try await store.currentLeases() { out[lease.owner, default: 0] += 1 }
        return out
    }

    private static func waitUntil(_ what: String, timeout: Double = 30, advancing clock: ManualClock? = nil,
                                  by step: Double = 0, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            if let clock, step > 0 { clock.advance(by: step) }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("timed out waiting: \(what)")
        throw CancellationError()
    }

    static let vins = (1 ... 24).map { String(format: "VR3PARTITION%05d", $0) }

    func testThreeInstancesSplitTheFleetAndATakeoverSendsEachCommandOnce() async throws {
        guard let cluster = try await Self.makeDatabase() else { return }
        let h = ServeHarness()
        let api = FleetAPI()
        let victimAPI = FleetAPI(hangingOver: api)
        var runtimes: [ServeRuntime] = []
        do {
            let vins = Self.vins
            for index in 0 ..< 3 {
                let runtime = try Self.instance(cluster, h: h, vins: vins, api: index == 1 ? victimAPI : api)
                try await runtime.start()
                runtimes.append(runtime)
            }
            try await Self.waitUntil("three instances share the partitions") {
                let split = try await Self.split(cluster.observer)
                return split.count == 3 && split.values.reduce(0, +) == Self.partitions && split.values.allSatisfy { $0 >= 2 }
            }
            let owners = try await cluster.observer.currentLeases()
            let victimOwner = try await Self.ownerName(of: runtimes[1], cluster)
            let victimPartitions = Set(owners.filter { $0.owner == victimOwner }.map(\.partition))
            let victimVINs = Set(vins.filter {
                victimPartitions.contains(PartitionLease.partition(ofVIN: $0, count: Self.partitions)) })
            XCTAssertFalse(victimVINs.isEmpty, "the victim runs some vehicles")

            // Low (fires: command 1), high, low again (fires: command 2, queued behind 1), each
            // notification to the next instance in turn.
            var turn = 0
            for level in ["15", "60", "10"] {
                for vin in vins {
                    let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": level],
                                                    port: runtimes[turn % 3].boundPort)
                    XCTAssertEqual(status, 200)
                    turn += 1
                }
                h.clock.advance(by: 1)
            }
            try await Self.waitUntil("every notification is decided") {
                let unprocessed = try await Self.ints(cluster.observer, "SELECT count(*)::int FROM inbox WHERE NOT processed")
                let fired = try await Self.ints(cluster.observer, "SELECT count(*)::int FROM firing WHERE event = 'fired'")
                return unprocessed == [0] && fired == [vins.count * 2]
            }
            try await Self.waitUntil("the first command of each vehicle is POSTed") {
                Set(api.posts.map(\.vin)) == Set(vins)
            }
            // The victim's POSTs are applied but unanswered: its commands stay `sending`.
            try await Self.waitUntil("the victim's commands are sending") {
                try await Self.ints(cluster.observer, "SELECT count(*)::int FROM action WHERE status = 'sending'")
                    == [victimVINs.count]
            }
            let killedAt = Date()
            runtimes[1].abort()

            try await Self.waitUntil("the survivors take the victim's partitions", timeout: 10) {
                let split = try await Self.split(cluster.observer)
                return split[victimOwner] == nil && split.values.reduce(0, +) == Self.partitions
            }
            let takeover = Date().timeIntervalSince(killedAt)
            XCTAssertLessThan(takeover, 6, "takeover of a 2 s lease took \(takeover) s")

            // Commands 1 are reconciled (found by listing) or done; commands 2 then go, once each.
            try await Self.waitUntil("every command is POSTed once and done", timeout: 60, advancing: h.clock, by: 5) {
                try await Self.ints(cluster.observer,
                                    "SELECT count(*)::int FROM action WHERE kind = 'remote' AND status = 'succeeded'")
                    == [vins.count * 2]
            }
            let posts = api.posts
            XCTAssertEqual(posts.count, vins.count * 2, "one POST per command: \(posts.map(\.vin))")
            for vin in vins { XCTAssertEqual(posts.filter { $0.vin == vin }.count, 2, vin) }
            // Each notification decided once; no firing twice for one inbox row.
            let twice = try await Self.ints(cluster.observer, """
                SELECT count(*)::int FROM (SELECT inbox_id FROM firing WHERE inbox_id IS NOT NULL
                GROUP BY inbox_id, rule HAVING count(*) > 1) twice
                """)
            XCTAssertEqual(twice, [0], "a notification was decided twice")
            // The victim's `sending` commands were listed only after their POST deadline
            // (`postDeadline` after the claim, database clock; the test and the server share a clock).
            let claimed = try await Self.victimClaims(cluster.observer, vins: victimVINs)
            for listing in api.listings where victimVINs.contains(listing.vin) {
                if let at = claimed[listing.vin] {
                    XCTAssertGreaterThanOrEqual(listing.at.timeIntervalSince(at), Self.postDeadline - 0.05,
                                                "\(listing.vin) listed before its POST deadline")
                }
            }
            XCTAssertTrue(api.listings.contains { victimVINs.contains($0.vin) }, "the victim's commands were reconciled")
        } catch {
            XCTFail("\(error)")
        }
        victimAPI.release()
        for (index, runtime) in runtimes.enumerated() where index != 1 { await runtime.shutdown() }
        await Self.drop(cluster)
        await h.stop()
    }

    /// The instance name a runtime's keeper uses: the owner of leases none of the others holds.
    private static func ownerName(of runtime: ServeRuntime, _ cluster: Cluster) async throws -> String {
        runtime.instanceName
    }

    /// The victim's first claim per vehicle, in the database's clock.
    private static func victimClaims(_ store: PostgresStore, vins: Set<String>) async throws -> [String: Date] {
        var out: [String: Date] = [:]
        for try await row in try await store.client.query("""
            SELECT a.vin, t.claimed_at FROM action_attempt t JOIN action a ON a.id = t.action_id
            WHERE t.attempt = 1 ORDER BY t.id
            """) {
            let (vin, at) = try row.decode((String, Date).self)
            if vins.contains(vin), out[vin] == nil { out[vin] = at }
        }
        return out
    }
}
