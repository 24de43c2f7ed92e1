import Foundation
import Logging
import OutcomeStore
import PostgresStore
import RuleEngine
import RuleLanguage
import VehicleData
import VigieRuntime

/// `vigie bench cluster`: what a takeover of one partition costs on PostgreSQL, with the
/// store's own leases (`PartitionKeeper`) and fenced commits (docs/cluster.md).
///
/// One partition holds `vehiclesPerPartition` vehicles' engine state (the engine
/// benchmark's rules, each vehicle observed a few times, snapshots stored as the runtime
/// stores them: one JSON row per vehicle and a checkpoint) and `backlog` unprocessed
/// notifications. Instance A holds every partition and then stops renewing (a kill or
/// a SIGSTOP); instance B, ticking every lease / 3 from a random phase, takes the
/// partition once A's lease has expired in the database's clock, restores it (reads the
/// state, decodes it, restores a fresh engine, reads the unprocessed inbox in order) and
/// commits its first fenced step. Per round:
/// - **takeover**: A's last renewal → B's first fenced commit done;
/// - **restore**: B gains the lease → engine restored and backlog read.
package enum ClusterBenchmark {
    package struct Options: Sendable {
        /// A `postgres://` URL whose user may create databases.
        package var postgresURL: String
        package var partitions = 16
        package var vehiclesPerPartition = 8_000
        /// The lease time, seconds.
        package var lease = 5.0
        package var rounds = 5
        /// Unprocessed notifications of the partition at takeover.
        package var backlog = 2_000
        package var rules = 20

        package init(postgresURL: String) {
            self.postgresURL = postgresURL
        }
    }

    package struct Round: Sendable {
        /// A's last renewal → B's first fenced commit, seconds.
        package var takeover: Double
        /// B's lease granted → engine restored and backlog read, seconds.
        package var restore: Double
        /// Of which: reading and decoding the state, restoring the engine.
        package var readState: Double
        package var restoreEngine: Double
        package var readBacklog: Double
        /// A's stale commit after the takeover was refused (fenced).
        package var staleRefused: Bool
    }

    package struct Result: Sendable {
        package var rounds: [Round]
        package var vehicles: Int
        package var stateBytes: Int
        package var backlogRows: Int
        package var setupSeconds: Double
    }

    static let scope = "bench-partition-0"

    package static func run(_ options: Options) async throws -> Result {
        var logger = Logger(label: "vigie.bench.cluster")
        logger.logLevel = .critical
        let database = try await BenchPostgresDatabase.create(url: options.postgresURL, logger: logger)
        do {
            let result = try await run(options, database: database, logger: logger)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    private static func run(_ options: Options, database: BenchPostgresDatabase, logger: Logger) async throws -> Result {
        let clock = ContinuousClock()
        let setupStart = clock.now
        let bundle = EngineBenchmarkBundle.make(rules: options.rules)
        let vins = partitionVINs(count: options.vehiclesPerPartition, partitions: options.partitions)
        let (states, checkpoint) = try engineState(bundle: bundle, vins: vins)
        let stateBytes = states.values.reduce(0) { $0 + $1.count } + (checkpoint.state?.count ?? 0)

        var rounds: [Round] = []
        var backlogRows = 0
        for round in 0..<options.rounds {
            let (storeA, runA) = database.secondStore()
            let (storeB, runB) = database.secondStore()
            defer { runA.cancel(); runB.cancel() }
            let a = PartitionKeeper(store: storeA, owner: "bench-a-\(round)", count: options.partitions,
                                    duration: options.lease, logger: logger)
            let b = PartitionKeeper(store: storeB, owner: "bench-b-\(round)", count: options.partitions,
                                    duration: options.lease, logger: logger)
            // A takes every partition (alone), and B joins only once A is dead.
            _ = await a.tick()
            guard let leaseA = a.lease(of: 0) else { throw BenchPostgresError("instance A did not get partition 0") }
            if round == 0 {
                try await store(states: states, checkpoint: checkpoint, lease: leaseA, in: storeA)
                backlogRows = try await appendBacklog(vins: vins, count: options.backlog, into: storeA)
            }
            // A's last renewal, then A stops (killed or frozen).
            let lastRenewal = clock.now
            _ = await a.tick()
            guard let lastLeaseA = a.lease(of: 0) else { throw BenchPostgresError("instance A lost partition 0 early") }
            try await Task.sleep(for: .seconds(Double.random(in: 0..<(options.lease / 3))))
            var gained: ContinuousClock.Instant?
            var leaseB: PartitionLease?
            while leaseB == nil {
                _ = await b.tick()
                if let lease = b.lease(of: 0) {
                    gained = clock.now
                    leaseB = lease
                    break
                }
                try await Task.sleep(for: .seconds(options.lease / 3))
                if clock.now - lastRenewal > .seconds(options.lease * 10) {
                    throw BenchPostgresError("instance B did not take partition 0 within 10 lease times")
                }
            }
            guard let leaseB, let gained else { continue }
            let restoring = clock.now
            let (readState, restoreEngine, backlog) = try await restore(bundle: bundle, store: storeB)
            let readBacklog = clock.now - restoring - readState - restoreEngine
            guard backlog == backlogRows else {
                throw BenchPostgresError("the new owner read \(backlog) unprocessed notifications, not \(backlogRows)")
            }
            _ = try await storeB.commit(DecisionCommit(scope: scope, checkpoint: checkpoint), now: Date(), fencedBy: leaseB)
            let committed = clock.now
            // The zombie wakes: its step must be fenced.
            var staleRefused = false
            do {
                _ = try await storeA.commit(DecisionCommit(scope: scope, checkpoint: checkpoint), now: Date(), fencedBy: lastLeaseA)
            } catch {
                staleRefused = true
            }
            rounds.append(Round(takeover: seconds(committed - lastRenewal), restore: seconds(committed - gained),
                                readState: seconds(readState), restoreEngine: seconds(restoreEngine),
                                readBacklog: seconds(readBacklog), staleRefused: staleRefused))
            await b.releaseAll()
            try await storeB.withdrawMember(b.owner)
            try await storeA.withdrawMember(a.owner)
        }
        return Result(rounds: rounds, vehicles: vins.count, stateBytes: stateBytes, backlogRows: backlogRows,
                      setupSeconds: seconds(rounds.isEmpty ? .zero : clock.now - setupStart))
    }

    /// `count` VINs of partition 0 among `partitions` (the store's FNV-1a mapping).
    static func partitionVINs(count: Int, partitions: Int) -> [String] {
        var vins: [String] = []
        var i = 0
        while vins.count < count {
            let vin = BenchStream.vin(i)
            if PartitionLease.partition(ofVIN: vin, count: partitions) == 0 { vins.append(vin) }
            i += 1
        }
        return vins
    }

    /// Each vehicle observed a few times (battery, speed, plug, position), then its snapshot
    /// as JSON (sorted keys) and the checkpoint.
    static func engineState(bundle: CheckedBundle, vins: [String]) throws -> ([String: Data], DecisionCommit.Checkpoint) {
        let engine = RuleEngine(bundles: [bundle], options: .init(actionsCompleteInstantly: false))
        func f(_ n: String) -> FieldID { Catalog.field(named: n)!.id }
        let start: Millis = 1_796_000_000_000
        for round in 0..<3 {
            for (i, vin) in vins.enumerated() {
                let at = start + Millis(round * 60_000 + i)
                engine.observe(vin: vin, at: at, values: [
                    (f("battery.level"), .number(Double(15 + (i + round * 7) % 80))),
                    (f("speed"), .number(Double((i * 13 + round) % 90))),
                    (f("charging.plugged"), .bool((i + round) % 3 == 0)),
                    (f("position"), .point(latitude: 48.8 + Double(i % 200) / 1000, longitude: 2.25 + Double(round) / 100)),
                ])
            }
            _ = engine.takeDecisions()
        }
        let codec = EngineCheckpointCodec()   // the runtime's format
        var states: [String: Data] = [:]
        for (order, vin) in vins.enumerated() {
            if let snapshot = engine.snapshot(vin: vin) { states[vin] = try codec.vehicle(snapshot, order: order) }
        }
        let state = try codec.checkpoint(version: 1, now: engine.now)
        return (states, DecisionCommit.Checkpoint(position: 0, at: engine.now.map(Timestamp.date), state: state))
    }

    /// The state in fenced steps of 1,000 vehicles.
    private static func store(states: [String: Data], checkpoint: DecisionCommit.Checkpoint, lease: PartitionLease,
                              in store: PostgresStore) async throws {
        let vins = states.keys.sorted()
        for start in stride(from: 0, to: vins.count, by: 1_000) {
            let chunk = vins[start..<min(start + 1_000, vins.count)]
            let step = DecisionCommit(scope: scope, vehicleStates: Dictionary(uniqueKeysWithValues: chunk.map { ($0, states[$0]!) }),
                                      checkpoint: checkpoint)
            _ = try await store.commit(step, now: Date(), fencedBy: lease)
        }
    }

    /// `count` monitor notifications of the partition's vehicles, left unprocessed.
    private static func appendBacklog(vins: [String], count: Int, into store: PostgresStore) async throws -> Int {
        var stored = 0
        var batch: [IntakeBatch.Notification] = []
        for i in 0..<count {
            let vin = vins[i % vins.count]
            let date = RFC3339.formatUTC(Int64(1_796_000_200_000 + i * 1_000))
            let body = """
                {"attributes":[{"key":"vin","value":"\(vin)"}],"callbackId":"cb-bench","date":"\(date)",\
                "monitorEvent":{"extensions":[],"monitorId":"mon-bench","refresh":false,"values":[{"data":"vehicle.energy.electric.level",\
                "value":{"body":{"literalValue":"\(10 + i % 80)"},"type":"string"}}]},"type":"Monitor"}
                """
            batch.append(.init(dedupKey: "\(date)/bench-\(i)", vin: vin, type: "Monitor", eventDate: date, body: body))
            if batch.count == 500 || i == count - 1 {
                stored += try await store.appendIntake([IntakeBatch(notifications: batch)], at: Date())[0].storedIds.count
                batch = []
            }
        }
        return stored
    }

    /// B's restore: the state read and decoded, a fresh engine restored from it, the
    /// unprocessed inbox read in order (pages of 1,000). Returns the first two durations
    /// and the rows read.
    private static func restore(bundle: CheckedBundle, store: PostgresStore) async throws -> (Duration, Duration, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let (checkpoint, rows) = try await store.engineState(scope: scope)
        guard let data = checkpoint?.state else { throw BenchPostgresError("no engine state to restore") }
        let (snapshot, _) = try EngineCheckpointCodec().decode(checkpoint: data, rows: rows)
        let read = clock.now
        let engine = RuleEngine(bundles: [bundle], options: .init(actionsCompleteInstantly: false))
        _ = engine.restore(snapshot)
        let restored = clock.now
        var after = checkpoint?.position ?? 0
        var backlog = 0
        while true {
            let page = try await store.unprocessedInbox(after: after, limit: 1_000)
            backlog += page.count
            guard let last = page.last?.id, page.count == 1_000 else { break }
            after = last
        }
        return (read - start, restored - read, backlog)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
