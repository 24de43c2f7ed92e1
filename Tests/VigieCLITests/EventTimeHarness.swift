import Foundation
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import VehicleData
import VigieKit
import XCTest
@testable import VigieRuntime

/// The serve engine loop driven step by step on a manual clock, with notifications
/// stored in the inbox in a chosen receive order (what the receiver does before its
/// 200), and the dry run (`ReplayRunner`) of the same observations to compare with.
/// "Crashing" drops the loop and its runtime without any shutdown and opens new ones on
/// the same database file.
final class EventTimeHarness {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18T11:06:40Z

    /// Bundle `et`: a `for: 5m` rule and a rule that fires on every change of the level
    /// (its decisions show the order the levels were observed in).
    static let rules = """
        vigie: 1
        bundle: et
        rules:
          - id: low-for-5m
            when: battery.level < 20
            for: 5m
            then:
              - notify: "{{vin}} low for 5 minutes"
          - id: level-changed
            when: changed(battery.level)
            then:
              - notify: "{{vin}} now at {{battery.level}}"
        """

    let clock = ManualClock(EventTimeHarness.start)
    let path: String
    let bundles: [CheckedBundle]
    let settings: RuntimeSettings
    private(set) var runtime: ServeRuntime!
    private(set) var loop: EngineService!
    /// How the test hands polls to the engine (as the poller does).
    private(set) var handoff = EngineHandoff()
    private(set) var database: OutcomeDatabase!
    /// Notifications in receive order: (vin, date, body).
    private(set) var received: [(vin: String, date: Date, body: JSONValue)] = []

    init(window: Double, staleAfter: Double = 300) async throws {
        let result = RuleValidator.validate([SourceFile(path: "et.yaml", text: Self.rules)])
        XCTAssertFalse(result.hasErrors, "\(result.diagnostics)")
        bundles = result.bundles
        settings = RuntimeSettings(port: 0, webhookSecret: "event-time-secret-0123456789", staleAfter: staleAfter,
                                   reorderWindow: window)
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-et-\(UUID().uuidString).sqlite").path
        try await open()
    }

    /// A runtime and its engine loop on the database file (restoring the saved state).
    func open() async throws {
        database = try OutcomeDatabase(path: path)
        var logger = Logger(label: "event-time-test")
        logger.logLevel = .critical
        runtime = ServeRuntime(settings: settings, database: database, bundles: bundles, clock: clock, logger: logger) {
            throw CancellationError()
        }
        handoff = EngineHandoff()
        loop = try await EngineService(settings: settings, store: database, bundles: bundles, inventory: Inventory(),
                                 decisionGuard: NoGuard(), clock: clock,
                                 reporter: RuntimeReporter(metrics: runtime.metrics, logger: logger),
                                 handoff: handoff, commandsQueued: DispatchWake())
    }

    /// A process killed between steps: nothing more is committed; a new one starts.
    func crashAndRestart() async throws {
        loop = nil
        runtime = nil
        database = nil
        try await open()
    }

    /// Stores monitor notifications as the receiver does, in this order, one request each.
    func receive(_ items: [(vin: String, date: Date, level: Int)]) async throws {
        for item in items {
            let body = Self.message(vin: item.vin, date: item.date, level: item.level)
            received.append((item.vin, item.date, body))
            let notification = IntakeBatch.Notification(
                dedupKey: "et-\(received.count)", vin: item.vin, type: "Monitor",
                eventDate: Timestamp.format(item.date), body: StoreJSON.string(body))
            _ = try await database.receive(IntakeBatch(notifications: [notification]), at: clock.now())
        }
    }

    /// Moves the clock to `start + seconds` and steps the loop until it is idle.
    func run(at seconds: Double) async throws {
        clock.set(Self.start.addingTimeInterval(seconds))
        var steps = 0
        while try await loop.step() {
            steps += 1
            XCTAssertLessThan(steps, 1000, "the loop does not settle")
            if steps >= 1000 { return }
        }
        // What decided nothing is committed 50 ms of real time later in a running serve.
        try await loop.flush()
    }

    /// The decisions committed, in the dry-run shape (no inbox id).
    func decisions() throws -> [String] {
        try database.loggedDecisions().map { EndToEnd.key($0.decision) }
    }

    /// A dry run of the received notifications observed at `instants` (default: their
    /// dates), sorted by instant then receive order, timers up to `until`.
    func dryRun(until: Date, instants: [Date]? = nil) -> [String] {
        let times = instants ?? received.map(\.date)
        let events = zip(received, times).enumerated()
            .sorted { ($0.element.1, $0.offset) < ($1.element.1, $1.offset) }
            .map { item in
                (at: Timestamp.millis(item.element.1), vin: item.element.0.vin,
                 observation: InboxInput.observation(of: item.element.0.body["monitorEvent"]!).0)
            }
        return ReplayRunner(bundles: bundles).run(events, until: Timestamp.millis(until)).decisions
            .map { EndToEnd.key(DecisionRecord($0)) }
    }

    func unprocessedIds() throws -> [Int64] {
        try database.unprocessedInbox().compactMap(\.id)
    }

    func remove() {
        loop = nil
        runtime = nil
        database = nil
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func message(vin: String, date: Date, level: Int) -> JSONValue {
        .object([
            "callbackId": .string("cb-et"), "type": .string("Monitor"), "date": .string(Timestamp.format(date)),
            "attributes": .array([.object(["key": .string("vin"), "value": .string(vin)])]),
            "monitorEvent": .object(["monitorId": .string("mon-et"), "values": .array([
                .object(["data": .string("vehicle.energy.electric.level"),
                         "value": .object(["type": .string("string"), "body": .object(["literalValue": .string("\(level)")])])]),
            ])]),
        ])
    }

    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }
}
