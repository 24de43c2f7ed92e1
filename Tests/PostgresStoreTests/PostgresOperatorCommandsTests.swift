import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore
import RuleEngine
import RuleLanguage
import VehicleData
import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// The operator commands on a configuration whose store is PostgreSQL (docs/cluster.md):
/// `vigie pause`, `resume`, `pause --list`, `send`, `log` and `explain` give SQLite's
/// output, errors and exit codes on the same data; explain rebuilds the vehicle's partition
/// engine; retention prunes with one instance at a time.
final class PostgresOperatorCommandsTests: XCTestCase {
    static let rules = """
        vigie: 1
        bundle: fleet
        rules:
          - id: low
            when: battery.level < 20 %
            then: [{notify: "low"}]
        """
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-19T...Z, whole seconds

    /// A folder with the rules and two configurations, `sqlite.yaml` (a database beside it)
    /// and `pg.yaml` (`store: postgres`, URL from `VIGIE_DATABASE_URL`), alike otherwise.
    private func folder(url: String, reorderWindow: String = "0") throws -> (URL, [String: String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-pgops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try Self.rules.write(to: folder.appendingPathComponent("rules/fleet.yaml"), atomically: true, encoding: .utf8)
        let common = """
            api: {kind: b2b, client_id: c, client_secret: {env: S}, fleet_id: f1}
            callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: W}}
            rules: [rules]
            engine: {reorder_window: \(reorderWindow)}

            """
        try (common + "database: vigie.sqlite\n").write(to: folder.appendingPathComponent("sqlite.yaml"), atomically: true,
                                                        encoding: .utf8)
        try (common + "store: {postgres: {url: {env: VIGIE_DATABASE_URL}}}\n")
            .write(to: folder.appendingPathComponent("pg.yaml"), atomically: true, encoding: .utf8)
        return (folder, ["S": "client-secret", "W": "webhook-secret-0123456789", "VIGIE_DATABASE_URL": url])
    }

    private static func path(_ folder: URL, _ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A monitor notification of `vin` with a battery level, dated `date`.
    static func notification(_ key: String, vin: String, level: Int, date: Date) -> IntakeBatch.Notification {
        let at = RFC3339.formatUTC(Timestamp.millis(date))
        let body = #"{"attributes":[{"key":"vin","value":"\#(vin)"}],"callbackId":"cb-1","date":"\#(at)","#
            + #""monitorEvent":{"extensions":[],"monitorId":"mon-1","refresh":false,"values":[{"data":"vehicle.energy.electric.level","#
            + #""value":{"body":{"literalValue":"\#(level)"},"type":"string"}}]},"type":"Monitor"}"#
        return .init(dedupKey: key, vin: vin, type: "Monitor", eventDate: at, body: body)
    }

    func testPauseResumeSendAndLogGiveSQLitesOutput() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let postgres = try await cluster.makeStore()
            let (folder, environment) = try self.folder(url: try await cluster.url(of: postgres))
            let sqlite = try OutcomeDatabase(path: Self.path(folder, "vigie.sqlite"))
            let stores: [any RuntimeStore] = [sqlite, postgres]
            for store in stores {
                // A vehicle serve knows (vigie send refuses others).
                try await store.commit(DecisionCommit(scope: "serve", vehicleStates: ["VR3A": Data("{}".utf8)]), now: Self.t0)
            }
            var outputs: [[CommandOutput]] = [[], []]
            for (index, config) in ["sqlite.yaml", "pg.yaml"].enumerated() {
                let path = Self.path(folder, config)
                func control(vin: String? = nil, bundle: String? = nil, rule: String? = nil, reason: String? = nil,
                             list: Bool = false, format: ControlOptions.Format = .text) -> ControlOptions {
                    ControlOptions(configPath: path, vin: vin, bundle: bundle, rule: rule, reason: reason, list: list,
                                   format: format, environment: environment)
                }
                let now = Self.t0.addingTimeInterval(60)
                outputs[index] = [
                    await ControlPanel.pause(control(vin: "VR3A", reason: "maintenance"), now: now),
                    await ControlPanel.pause(control(vin: "VR3A"), now: now.addingTimeInterval(1)),
                    await ControlPanel.pause(control(bundle: "fleet"), now: now.addingTimeInterval(2)),
                    await ControlPanel.pause(control(list: true)),
                    await ControlPanel.pause(control(list: true, format: .json)),
                    await ManualSend.run(SendOptions(configPath: path, vin: "VR3A", action: "charge: start", requestedBy: "alice",
                                                     environment: environment), now: now.addingTimeInterval(3)),
                    await ManualSend.run(SendOptions(configPath: path, vin: "VR3B", action: "charge: start", requestedBy: "alice",
                                                     environment: environment), now: now.addingTimeInterval(3)),
                    await ControlPanel.resume(control(vin: "VR3A"), now: now.addingTimeInterval(4)),
                    await ControlPanel.resume(control(vin: "VR3A"), now: now.addingTimeInterval(5)),
                    await ControlPanel.resume(control(bundle: "fleet"), now: now.addingTimeInterval(6)),
                    await LogReport.run(LogOptions(configPath: path, environment: environment), now: now),
                    await LogReport.run(LogOptions(configPath: path, vin: "VR3A", format: .json, environment: environment), now: now),
                    await LogReport.run(LogOptions(configPath: path, since: "soon", environment: environment), now: now),
                ]
            }
            XCTAssertEqual(outputs[0].count, outputs[1].count)
            for (step, (lite, pg)) in zip(outputs[0], outputs[1]).enumerated() {
                XCTAssertEqual(pg.stdout, lite.stdout, "step \(step) stdout")
                XCTAssertEqual(pg.stderr, lite.stderr, "step \(step) stderr")
                XCTAssertEqual(pg.exitCode, lite.exitCode, "step \(step) exit code")
            }
            // The commands did what they say, in PostgreSQL itself.
            XCTAssertEqual(outputs[1][0].stdout, "paused: vin VR3A\n")
            XCTAssertTrue(outputs[1][3].stdout.hasSuffix("2 holds\n"), outputs[1][3].stdout)
            XCTAssertEqual(outputs[1][6].exitCode, 1, "an unknown vehicle")
            XCTAssertEqual(outputs[1][8].exitCode, 1, "nothing left to resume")
            XCTAssertEqual(outputs[1][12].exitCode, 64, "a usage error")
            XCTAssertTrue(outputs[1][10].stdout.contains("manual/charge  fired (charge: start, asked by alice via cli)"),
                          outputs[1][10].stdout)
            let holds = try await postgres.holds(activeOrResumedSince: Self.t0)
            XCTAssertEqual(holds.map(\.scopeDescription), ["vin VR3A", "bundle fleet"])
            XCTAssertTrue(holds.allSatisfy { $0.resumedAt != nil }, "both resumed")
            let queued = try await postgres.nextDispatchItems(at: Self.t0.addingTimeInterval(120), limit: 10)
            XCTAssertEqual(queued.map(\.vin), ["VR3A"], "the manual command is queued for serve")

            // A port that refuses connections: exit 1 at once (not after the 15 s a silent
            // server gets), naming the server and the reason, never the password.
            var unreachable = environment
            unreachable["VIGIE_DATABASE_URL"] = "postgres://vigie:pa55word@127.0.0.1:1/none?sslmode=disable"
            let asked = ContinuousClock.now
            let refused = await ControlPanel.pause(ControlOptions(configPath: Self.path(folder, "pg.yaml"),
                                                                  environment: unreachable))
            XCTAssertLessThan(ContinuousClock.now - asked, .seconds(5), "a refused connection fails at once")
            XCTAssertEqual(refused.exitCode, 1)
            XCTAssertTrue(refused.stderr.hasPrefix("error: postgres://vigie@127.0.0.1:1/none: connection refused"),
                          refused.stderr)
            XCTAssertFalse(refused.stderr.contains("pa55word"), refused.stderr)
            // A server that refuses the login: its own reason, at once.
            var stranger = environment
            stranger["VIGIE_DATABASE_URL"] = try await cluster.url(of: postgres).replacingOccurrences(
                of: "postgres://vigie@", with: "postgres://nobody:pa55word@")
            let login = await ControlPanel.pause(ControlOptions(configPath: Self.path(folder, "pg.yaml"),
                                                                environment: stranger))
            XCTAssertEqual(login.exitCode, 1)
            XCTAssertTrue(login.stderr.contains("the server refused the connection: role \"nobody\" does not exist"),
                          login.stderr)
            XCTAssertFalse(login.stderr.contains("pa55word"), login.stderr)
        }
    }

    /// Two vehicles of different partitions; B's notification, dated later, arrives before
    /// A's. One engine (SQLite, or PostgreSQL before partitions) observes A's late, at B's
    /// date; with partitions, A's engine never sees B's row: A is observed at its own date.
    /// A checkpoint of A's partition scope is restored; the console explains the same.
    func testExplainRebuildsTheVehiclesPartitionEngine() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let postgres = try await cluster.makeStore()
            let (folder, environment) = try self.folder(url: try await cluster.url(of: postgres))
            let sqlite = try OutcomeDatabase(path: Self.path(folder, "vigie.sqlite"))
            let count = 4
            let candidates = (1...40).map { String(format: "VR3PGOPS%09d", $0) }
            let a = candidates[0]
            let partitionA = PartitionLease.partition(ofVIN: a, count: count)
            let b = try XCTUnwrap(candidates.first { PartitionLease.partition(ofVIN: $0, count: count) != partitionA })
            for store in [sqlite, postgres] as [any RuntimeStore] {
                _ = try await store.appendIntake([IntakeBatch(notifications: [
                    Self.notification("b1", vin: b, level: 50, date: Self.t0.addingTimeInterval(600)),
                ])], at: Self.t0.addingTimeInterval(601))
                _ = try await store.appendIntake([IntakeBatch(notifications: [
                    Self.notification("a1", vin: a, level: 15, date: Self.t0),
                ])], at: Self.t0.addingTimeInterval(602))
            }
            func explain(_ config: String, at: Date) async -> CommandOutput {
                await Explain.run(ExplainOptions(vin: a, rule: "low", at: RFC3339.formatUTC(Timestamp.millis(at)),
                                                 configPath: config, environment: environment), in: folder)
            }
            let at = Self.t0.addingTimeInterval(900)
            let lite = await explain("sqlite.yaml", at: at)
            let one = await explain("pg.yaml", at: at)
            XCTAssertEqual(lite.exitCode, 0, lite.stderr)
            XCTAssertEqual(one.stdout, lite.stdout, "one engine: the same answer")
            XCTAssertEqual(one.stderr, lite.stderr)
            let late = "explain \(RFC3339.formatUTC(Timestamp.millis(Self.t0.addingTimeInterval(600))))  \(a)  fleet/low"
            XCTAssertTrue(lite.stdout.hasPrefix(late), lite.stdout)

            // Partitions ran: A's engine is partition A's, which never observed B's row.
            try await postgres.client.query(PostgresQuery(unsafeSQL: "INSERT INTO partition_config (id, count) VALUES (1, \(count))"))
                .consumeAll()
            let partitioned = await explain("pg.yaml", at: at)
            XCTAssertEqual(partitioned.exitCode, 0, partitioned.stderr)
            let own = "explain \(RFC3339.formatUTC(Timestamp.millis(Self.t0)))  \(a)  fleet/low"
            XCTAssertTrue(partitioned.stdout.hasPrefix(own), partitioned.stdout)
            XCTAssertTrue(partitioned.stdout.contains("battery.level < 20  [battery.level = 15] → true"), partitioned.stdout)
            XCTAssertTrue(partitioned.stdout.contains("replayed 1 notification up to"), partitioned.stdout)
            // With a reorder window (the vehicle's rows and a receiving-time window, ExplainTrace):
            // A is late; one engine orders B's row before it, A's partition engine does not see it.
            for name in ["sqlite", "pg"] {
                let text = try String(contentsOf: folder.appendingPathComponent("\(name).yaml"), encoding: .utf8)
                try text.replacingOccurrences(of: "reorder_window: 0", with: "reorder_window: 2s")
                    .write(to: folder.appendingPathComponent("\(name)-window.yaml"), atomically: true, encoding: .utf8)
            }
            let windowed = await explain("pg-window.yaml", at: at)
            XCTAssertTrue(windowed.stdout.hasPrefix(own), windowed.stdout)
            let windowedLite = await explain("sqlite-window.yaml", at: at)
            XCTAssertTrue(windowedLite.stdout.hasPrefix(late), windowedLite.stdout)

            // A checkpoint of scope serve/p<A> (clock at 20 min, every row so far consumed),
            // then a new notification of A: restored and replayed from there.
            let high = try await postgres.inboxHighWater()
            let state = try EngineCheckpointCodec().checkpoint(version: 1, now: Timestamp.millis(Self.t0.addingTimeInterval(1200)))
            try await postgres.commit(DecisionCommit(scope: "serve/p\(partitionA)", checkpoint: .init(
                position: high, at: Self.t0.addingTimeInterval(1200), state: state), processedInboxIds: [1, 2]),
                                      now: Self.t0.addingTimeInterval(1200))
            _ = try await postgres.appendIntake([IntakeBatch(notifications: [
                Self.notification("a2", vin: a, level: 12, date: Self.t0.addingTimeInterval(1800)),
            ])], at: Self.t0.addingTimeInterval(1801))
            let later = Self.t0.addingTimeInterval(2400)
            let restored = await explain("pg.yaml", at: later)
            XCTAssertEqual(restored.exitCode, 0, restored.stderr)
            XCTAssertTrue(restored.stdout.contains("battery.level < 20  [battery.level = 12] → true"), restored.stdout)
            XCTAssertTrue(restored.stdout.contains("replayed 1 notification up to \(RFC3339.formatUTC(Timestamp.millis(later))) "
                                                   + "from the engine checkpoint of"), restored.stdout)

            // The console's trace page rebuilds the same on the store serve runs on.
            let bundles = RuleValidator.validate([SourceFile(path: "fleet.yaml", text: Self.rules)]).bundles
            let explainer = Explain.consoleExplainer(bundles: bundles, inventory: nil, reorderWindow: 0)(postgres)
            let view = try await explainer(a, "fleet", "low", later)
            XCTAssertEqual(view.explanation?.at, Timestamp.millis(Self.t0.addingTimeInterval(1800)))
            XCTAssertTrue(restored.stdout.contains(view.replay), view.replay)

            // An unknown vehicle: SQLite's error, naming the store without its password.
            let unknown = await Explain.run(ExplainOptions(vin: "VR3PGOPS000000099", rule: "low", configPath: "pg.yaml",
                                                           environment: environment), in: folder)
            XCTAssertEqual(unknown.exitCode, 1)
            XCTAssertTrue(unknown.stderr.contains("--vin VR3PGOPS000000099: no notification nor decision of this vehicle in postgres://"),
                          unknown.stderr)
            XCTAssertTrue(unknown.stderr.contains("did you mean"), unknown.stderr)
        }
    }

    /// While another session holds the pruning lock (another instance's pass), a pass is
    /// skipped and deletes nothing. Two instances pruning at once delete each row once.
    func testOneInstancePrunesAtATime() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let rows = 60
            _ = try await store.appendIntake([IntakeBatch(notifications: (0..<rows).map {
                Self.notification("n\($0)", vin: "VR3A", level: 50, date: Self.t0)
            })], at: Self.t0)
            try await store.markProcessed(Array(1...Int64(rows)), at: Self.t0)
            let pass = RetentionCutoffs(inbox: Self.t0.addingTimeInterval(1), batchSize: 7)
            let skipped = try await store.client.withConnection { connection -> RetentionCounts?? in
                _ = try await connection.query("SELECT pg_advisory_lock(\(PostgresStore.retentionLockKey))", logger: .init(label: "t"))
                    .collect()
                let result = try await store.pruneRetention(pass)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(PostgresStore.retentionLockKey))",
                                               logger: .init(label: "t")).collect()
                return .some(result)
            }
            XCTAssertEqual(skipped, .some(nil), "the lock is held elsewhere: the pass is skipped")
            let kept = try await store.inboxRows(vin: "VR3A", after: 0)
            XCTAssertEqual(kept.count, rows, "nothing deleted while skipped")

            // Two instances (two pools on the database), each pruning in a loop.
            let url = try await cluster.url(of: store)
            var logger = Logger(label: "vigie.test.postgres")
            logger.logLevel = .critical
            let second = PostgresStore(settings: try PostgresSettings(url: url), logger: logger)
            let running = Task { await second.run() }
            defer { running.cancel() }
            let results = try await withThrowingTaskGroup(of: [RetentionCounts?].self) { group in
                for instance in [store, second] {
                    group.addTask {
                        var out: [RetentionCounts?] = []
                        for _ in 0..<5 { out.append(try await instance.pruneRetention(pass)) }
                        return out
                    }
                }
                var all: [RetentionCounts?] = []
                for try await part in group { all += part }
                return all
            }
            XCTAssertEqual(results.compactMap { $0?.inbox }.reduce(0, +), rows, "each row deleted once: \(results)")
            let left = try await store.inboxRows(vin: "VR3A", after: 0)
            XCTAssertEqual(left.count, 0)
        }
    }

    /// `vigie doctor` checks the PostgreSQL store (answers, schema, partitions) instead of a
    /// SQLite file; `vigie backup --config` names PostgreSQL's own tools.
    func testDoctorChecksTheStoreAndBackupNamesPgDump() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let store = try await cluster.makeStore()
            let url = try await cluster.url(of: store)
            let fresh = await Doctor.postgresChecks(url: Secret(url), partitions: 8)
            XCTAssertEqual(fresh.map(\.name), ["disk", "database", "partitions"])
            XCTAssertEqual(fresh.map(\.status), [.skip, .ok, .ok], "\(fresh)")
            XCTAssertTrue(fresh[1].detail.hasSuffix("schema up to date"), fresh[1].detail)
            XCTAssertEqual(fresh[2].detail, "none recorded yet: the first vigie serve records 8")
            try await store.client.query("INSERT INTO partition_config (id, count) VALUES (1, 16)").consumeAll()
            let other = await Doctor.postgresChecks(url: Secret(url), partitions: 8)
            XCTAssertEqual(other.map(\.status), [.skip, .ok, .fail], "\(other)")
            XCTAssertTrue(other[2].detail.contains("split into 16 partitions, not 8"), other[2].detail)
            let asked = ContinuousClock.now
            let down = await Doctor.postgresChecks(url: Secret("postgres://vigie:pa55word@127.0.0.1:1/none?sslmode=disable"),
                                                  partitions: 8)
            XCTAssertLessThan(ContinuousClock.now - asked, .seconds(5), "a refused connection is reported at once")
            XCTAssertEqual(down.map(\.status), [.skip, .fail], "\(down)")
            XCTAssertEqual(down.last?.detail, "postgres://vigie@127.0.0.1:1/none: connection refused")
            XCTAssertFalse(down.map(\.detail).joined().contains("pa55word"))

            let (folder, environment) = try self.folder(url: url)
            XCTAssertThrowsError(try Backup.database(configPath: Self.path(folder, "pg.yaml"), environment: environment)) { error in
                XCTAssertTrue("\(error)".contains("the store is PostgreSQL; back it up with PostgreSQL's own tools: pg_dump"),
                              "\(error)")
            }
            XCTAssertEqual(try Backup.database(configPath: Self.path(folder, "sqlite.yaml"), environment: environment),
                           Self.path(folder, "vigie.sqlite"))
        }
    }
}
