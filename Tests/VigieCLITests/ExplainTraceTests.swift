import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData
@testable import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// `vigie explain` and the console's trace page rebuild one vehicle from its own inbox rows
/// (`ExplainTrace`); the answer must be the whole-inbox rebuild's (`Explain.replayWhole`).
/// Property-style over seeds: several vehicles, notifications late past the reorder window
/// (their clock set by other vehicles' rows), future-dated and undated ones, receiving
/// times not in id order, `for`, `repeat`, schedule and age timers, with and without an
/// engine checkpoint (some rows after it already processed).
final class ExplainTraceTests: XCTestCase {
    static let t0: Millis = 1_772_488_800_000  // 2026-03-02T22:00:00Z, a Monday
    static let vins = (1...7).map { "VR3TRACE00000000\($0)" }
    static let rules = """
        vigie: 1
        bundle: fleet
        schedules:
          evening: { days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun], from: "22:07", to: "22:19" }
        rules:
          - id: low
            when: battery.level < 40 and not charging.plugged
            for: 90s
            repeat: 4m
            then:
              - horn: on
          - id: high
            when: battery.level > 60
            during: evening
            then:
              - horn: on
          - id: quiet
            when: age(battery.level) > 2m
            then:
              - horn: on
        """

    /// One inbox written as serve's receiver would: rows in (about) receiving order.
    struct Fixture {
        var database: OutcomeDatabase
        var end: Millis
        var late = 0
    }

    static func body(vin: String, date: Millis?, level: Int, plugged: Bool) -> String {
        let dateKey = date.map { "\"date\":\"\(RFC3339.formatUTC($0))\"," } ?? ""
        return """
            {"attributes":[{"key":"vin","value":"\(vin)"}],"callbackId":"cb",\(dateKey)\
            "monitorEvent":{"monitorId":"m1","values":[\
            {"data":"vehicle.energy.electric.level","value":{"body":{"literalValue":"\(level)"},"type":"string"}},\
            {"data":"vehicle.energy.charging.plugged","value":{"body":{"literalValue":"\(plugged)"},"type":"string"}}]},\
            "type":"Monitor"}
            """
    }

    static func fixture(seed: UInt64, reorderWindow: Double) async throws -> Fixture {
        var rng = SeededRandom(seed: seed)
        let database = try OutcomeDatabase.inMemory()
        var rows: [(received: Millis, notification: IntakeBatch.Notification)] = []
        var clock = t0
        var late = 0
        for i in 0..<360 {
            clock += Millis(rng.int(0...6000))
            let vin = rng.pick(vins)
            var date: Millis? = clock
            var received = clock + Millis(rng.int(0...1500))
            if rng.chance(0.12) {
                received = clock + Millis(rng.int(3000...150_000))  // late, often past the window
                if Double(received - clock) > reorderWindow * 1000 { late += 1 }
            } else if rng.chance(0.04) {
                date = received + Millis(rng.int(6000...40_000))  // from the future: observed when received
            } else if rng.chance(0.03) {
                date = nil
            }
            let level = rng.pick([15, 25, 35, 45, 55, 65, 75])
            let body = body(vin: vin, date: date, level: level, plugged: rng.chance(0.3))
            rows.append((received, .init(dedupKey: "n\(i)", vin: vin, type: "Monitor",
                                         eventDate: date.map(RFC3339.formatUTC), body: body)))
        }
        rows.sort { $0.received < $1.received }
        // Commit order is not receiving order everywhere.
        for i in rows.indices.dropLast() where rng.chance(0.1) { rows.swapAt(i, i + 1) }
        for row in rows {
            _ = try await database.appendIntake([IntakeBatch(notifications: [row.notification])], at: Timestamp.date(row.received))
        }
        return Fixture(database: database, end: clock + 300_000, late: late)
    }

    /// Saves an engine checkpoint after the first `position` rows, as serve would (every
    /// vehicle's state, rows up to it processed), and marks a few later rows processed.
    static func checkpoint(_ database: OutcomeDatabase, bundles: [CheckedBundle], reorderWindow: Double, position: Int64,
                           seed: UInt64) throws {
        var rng = SeededRandom(seed: seed ^ 0xC0FFEE)
        let rows = try database.inbox()
        let inputs = ExplainInbox(rows: rows, reorderWindow: reorderWindow).inputs.filter { $0.inboxId <= position }
        let runner = ReplayRunner(bundles: bundles)
        let engine = runner.makeEngine()
        _ = runner.run(inputs.map { ($0.at, $0.vin, $0.observation) }, on: engine)
        let recorder = DecisionRecorder(database: database, scope: Explain.scope, dispatch: .recordOnly)
        let processed = rows.compactMap(\.id).filter { $0 <= position || rng.chance(0.05) }
        try recorder.record([], snapshot: engine.snapshot(), position: position, processedInboxIds: processed)
    }

    func testOneVehiclesRowsGiveTheWholeInboxsAnswer() async throws {
        let checked = RuleValidator.validate([SourceFile(path: "rules.yaml", text: Self.rules)])
        XCTAssertEqual(checked.diagnostics.filter { $0.severity == .error }.map(\.message), [])
        let bundles = checked.bundles
        var compared = 0, fromCheckpoint = 0, clockedByOthers = 0, late = 0
        for seed in UInt64(1)...6 {
            let window = [2.0, 10.0, 0.5, 30.0][Int(seed) % 4]
            let fixture = try await Self.fixture(seed: seed, reorderWindow: window)
            let database = fixture.database
            late += fixture.late
            if seed % 2 == 0 {
                try Self.checkpoint(database, bundles: bundles, reorderWindow: window, position: Int64(120 + seed * 10), seed: seed)
            }
            let all = try database.inbox()
            let whole = ExplainInbox(rows: all, reorderWindow: window)
            let trace = ExplainTrace(database: database, scope: EngineScope(name: Explain.scope), bundles: bundles, inventory: nil,
                                     reorderWindow: window)
            var rng = SeededRandom(seed: seed &* 31)
            for vin in Self.vins {
                let rows = try database.inboxRows(vin: vin, after: 0)
                XCTAssertEqual(rows.map(\.id), all.filter { $0.vin == vin }.map(\.id), "seed \(seed) \(vin): its rows")
                let mine = ExplainInbox(rows: rows, reorderWindow: window).inputs
                let clocked = try await trace.clocked(mine, fed: { _ in true })
                clockedByOthers += zip(mine, clocked).filter { $0.0.at < $0.1.at }.count
                // Several instants: random ones, and just at / after an evaluation of the vehicle.
                var instants = (0..<3).map { _ in Self.t0 + Millis(rng.int(0...Int(fixture.end - Self.t0))) }
                instants += mine.filter { _ in rng.chance(0.03) }.flatMap { [$0.at, $0.at + 90_000] }
                instants.append(fixture.end)
                for at in instants {
                    for rule in ["low", "high", "quiet"] {
                        let replayed = try await trace.replay(rows: rows, vin: vin, bundle: "fleet", rule: rule, at: at)
                        let bounded = try XCTUnwrap(replayed)
                        let full = try await Explain.replayWhole(whole, rows: all, database: database, bundles: bundles, inventory: nil,
                                                           vin: vin, bundle: "fleet", rule: rule, at: at)
                        let what = "seed \(seed) W \(window) \(vin) \(rule) at \(RFC3339.formatUTC(at))"
                        XCTAssertEqual(bounded.explanation, full.explanation, what)
                        XCTAssertEqual(bounded.origin, full.origin, what)
                        XCTAssertEqual(bounded.lastDecision, full.lastDecision, what)
                        XCTAssertEqual(bounded.observed, whole.inputs.filter { input in
                            guard input.vin == vin, input.at <= at else { return false }
                            guard case .checkpoint(_, let position) = full.origin else { return true }
                            return !input.processed && input.inboxId > position
                        }.count, what)
                        compared += 1
                        if case .checkpoint = full.origin { fromCheckpoint += 1 }
                    }
                }
            }
        }
        // The property is exercised: late rows whose clock another vehicle set, and both origins.
        XCTAssertGreaterThan(late, 20)
        XCTAssertGreaterThan(clockedByOthers, 10)
        XCTAssertGreaterThan(fromCheckpoint, 20)
        XCTAssertGreaterThan(compared - fromCheckpoint, 100)
    }

    /// Without a reorder window serve observes in arrival order: no receiving-time window
    /// bounds what came before, so the bounded rebuild declines and explain reads the whole inbox.
    func testWithoutAReorderWindowTheWholeInboxIsRead() async throws {
        let bundles = RuleValidator.validate([SourceFile(path: "rules.yaml", text: Self.rules)]).bundles
        let fixture = try await Self.fixture(seed: 99, reorderWindow: 0)
        let trace = ExplainTrace(database: fixture.database, scope: EngineScope(name: Explain.scope), bundles: bundles,
                                 inventory: nil, reorderWindow: 0)
        let vin = Self.vins[0]
        let declined = try await trace.replay(rows: fixture.database.inboxRows(vin: vin, after: 0), vin: vin, bundle: "fleet",
                                              rule: "low", at: fixture.end)
        XCTAssertNil(declined)
        let all = try fixture.database.inbox()
        let answer = try await Explain.replay(database: fixture.database, bundles: bundles, inventory: nil, reorderWindow: 0,
                                        vin: vin, bundle: "fleet", rule: "low", at: fixture.end)
        let full = try await Explain.replayWhole(ExplainInbox(rows: all, reorderWindow: 0), rows: all, database: fixture.database,
                                           bundles: bundles, inventory: nil, vin: vin, bundle: "fleet", rule: "low",
                                           at: fixture.end)
        XCTAssertNotNil(full.explanation)
        XCTAssertEqual(answer.explanation, full.explanation)
        XCTAssertEqual(answer.observed, full.observed)
    }

    /// `--config` whose store is PostgreSQL is read as serve reads it (not the default SQLite
    /// path): a URL that cannot be used is a configuration error naming its source, the
    /// password never shown. (Explain on a real PostgreSQL: PostgresExplainTests.)
    func testAPostgreSQLConfigurationIsReadAsServeReadsIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-explain-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rules"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.rules.write(to: folder.appendingPathComponent("rules/fleet.yaml"), atomically: true, encoding: .utf8)
        try """
            api: {kind: b2b, client_id: c, client_secret: {env: S}, fleet_id: f1}
            callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: W}}
            rules: [rules]
            store: {postgres: {url: {env: VIGIE_DATABASE_URL}}}
            """.write(to: folder.appendingPathComponent("vigie.yaml"), atomically: true, encoding: .utf8)
        let environment = ["S": "client-secret-value", "W": "webhook-secret-0123456789",
                           "VIGIE_DATABASE_URL": "postgres://vigie:pa55word@db.example.com:5433/fleet?sslmode=verify-all"]
        let output = await Explain.run(ExplainOptions(vin: Self.vins[0], rule: "low", configPath: "vigie.yaml", environment: environment),
                                       in: folder)
        XCTAssertEqual(output.exitCode, 1)
        XCTAssertTrue(output.stderr.contains("store.postgres.url (from environment variable VIGIE_DATABASE_URL)"), output.stderr)
        XCTAssertTrue(output.stderr.contains("sslmode"), output.stderr)
        XCTAssertFalse(output.stderr.contains("pa55word"), output.stderr)
    }
}
