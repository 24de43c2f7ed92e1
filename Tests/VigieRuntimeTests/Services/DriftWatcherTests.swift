import Foundation
import Logging
import MonitorCompiler
import Notifications
import OutcomeStore
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import VigieRuntime

/// serve's drift check against the simulator's monitor endpoints, on a manual clock:
/// monitors deployed as `vigie apply` would, then changed behind serve's back, raise one
/// `monitors-drifted` alert naming what differs; deploying them again resolves it.
final class DriftWatcherTests: XCTestCase {
    static let rules = """
        vigie: 1
        bundle: test
        rules:
          - id: low
            when: battery.level < 20
            then:
              - notify: "{{vehicle.name}} low at {{battery.level}} %"
          - id: plugged
            when: charging.plugged == true
            then:
              - notify: "{{vehicle.name}} plugged"
        """

    /// What the rules compile to for the harness's vehicles, as `vigie plan` compiles it.
    func desired(_ h: ServeHarness, _ settings: DriftSettings) async throws -> [DesiredMonitors.Vehicle] {
        let listed = try await h.b2c.vehicles()
        let result = DesiredMonitors.vehicles(try ServeHarness.bundles(Self.rules), inventory: settings.inventory,
                                              vehicleIDs: [:], listed: listed, options: settings.options)
        XCTAssertNil(result.unknown)
        return result.vehicles
    }

    /// `vigie apply` for the monitors: deletes Vigie's monitors deployed, creates the compiled ones.
    func deploy(_ h: ServeHarness, _ settings: DriftSettings) async throws {
        for vehicle in try await desired(h, settings) {
            for state in try await h.b2c.monitors(vehicle: vehicle.id, callback: h.callbackID) {
                try await h.b2c.deleteMonitor(vehicle: vehicle.id, callback: h.callbackID, id: state.monitorId)
            }
            for monitor in vehicle.monitors {
                _ = try await h.b2c.createMonitor(vehicle: vehicle.id, callback: h.callbackID, monitor.monitor)
            }
        }
    }

    func settings(_ h: ServeHarness) -> DriftSettings {
        DriftSettings(period: 900, options: CompileOptions(api: .b2c),
                      inventory: Inventory(vehicles: h.vins.map { Inventory.Vehicle(vin: $0, name: nil) }))
    }

    /// A simulator with the rules' monitors deployed for its vehicles (`deploy: false`:
    /// none), stopped at the test's end; the drift settings, and the first vehicle's
    /// compiled monitors.
    func simulator(deploy deployed: Bool = true) async throws -> (ServeHarness, DriftSettings, DesiredMonitors.Vehicle) {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let settings = settings(h)
        if deployed { try await deploy(h, settings) }
        let vehicles = try await desired(h, settings)
        let vehicle = try XCTUnwrap(vehicles.first)
        XCTAssertFalse(vehicle.monitors.isEmpty)
        return (h, settings, vehicle)
    }

    func testAChangeBehindServesBackAlertsOnceAndResolvesWhenDeployedAgain() async throws {
        let (h, settings, vehicle) = try await simulator()
        let metrics = RuntimeMetrics()
        let access = APIAccess(metrics: metrics, logger: Logger(label: "test"))
        let store = try OutcomeDatabase.inMemory()
        let sink = AlertTests.RecordingSink()
        let center = AlertCenter(store: store, sink: sink, channels: ["ops"], clock: h.clock, logger: Logger(label: "test"))
        let watcher = DriftWatcher(settings: settings, bundles: try ServeHarness.bundles(Self.rules), access: access,
                                   center: center, metrics: metrics, clock: h.clock,
                                   logger: Logger(label: "test"))
        let notConnected = await watcher.check()
        XCTAssertNil(notConnected, "nothing is checked before the API access is attached")
        access.attach(h.vehicleAPI)

        let clean = await watcher.check()
        XCTAssertEqual(clean, MonitorDrift())
        XCTAssertEqual(sink.summary, [])
        XCTAssertTrue(metrics.render().contains("\nvigie_monitors_drifted 0\n"))
        XCTAssertNotNil(settings.labels.label(vin: h.vins[0]), "the listing's labels are kept")

        // Someone edits a monitor at the API: the same rules, another body (its label's hash changes).
        let deployed = try await h.b2c.monitors(vehicle: vehicle.id, callback: h.callbackID)
        let target = try XCTUnwrap(deployed.first)
        var edited = target.monitor
        edited.subscribeParam = SubscribeParam(refreshEvent: (edited.subscribeParam?.refreshEvent ?? 0) + 600)
        edited.label = MonitorLabel.make(rules: MonitorDiff.rules(inLabel: target.monitor.label), body: edited)
        _ = try await h.b2c.updateMonitor(vehicle: vehicle.id, callback: h.callbackID, id: target.monitorId, edited)

        let changedResult = await watcher.check()
        let changed = try XCTUnwrap(changedResult)
        XCTAssertEqual(changed.changed.count, 1)
        XCTAssertEqual(changed.missing, [])
        XCTAssertEqual(changed.extra, [])
        XCTAssertEqual(sink.summary, ["monitors-drifted/firing"])
        let alert = try XCTUnwrap(sink.requests.first)
        XCTAssertEqual(alert.title, "Vigie: deployed monitors drifted from the rules")
        XCTAssertTrue(alert.text.contains("1 changed (vehicle \(h.vins[0]): test/"), alert.text)
        XCTAssertTrue(alert.text.contains("`vigie plan`") && alert.text.contains("`vigie apply`"), alert.text)
        XCTAssertTrue(metrics.render().contains("\nvigie_monitors_drifted 1\n"))

        // Still drifted an hour later, and a Vigie monitor deleted too: no second alert.
        h.clock.advance(by: 3600)
        try await h.b2c.deleteMonitor(vehicle: vehicle.id, callback: h.callbackID,
                                      id: try XCTUnwrap(deployed.dropFirst().first ?? deployed.first).monitorId)
        let worseResult = await watcher.check()
        let worse = try XCTUnwrap(worseResult)
        XCTAssertGreaterThanOrEqual(worse.count, 1)
        XCTAssertEqual(sink.summary, ["monitors-drifted/firing"])
        XCTAssertEqual(try store.openAlertIncidents().map(\.kind), ["monitors-drifted"])

        // `vigie apply` again: resolved, once.
        try await deploy(h, settings)
        let fixed = await watcher.check()
        XCTAssertEqual(fixed, MonitorDrift())
        _ = await watcher.check()
        XCTAssertEqual(sink.summary, ["monitors-drifted/firing", "monitors-drifted/resolved"])
        XCTAssertEqual(sink.requests.last?.text, "The deployed monitors match the rules again.")
        XCTAssertEqual(try store.openAlertIncidents(), [])
        XCTAssertTrue(metrics.render().contains("\nvigie_monitors_drifted 0\n"))
    }

    func testMissingAndExtraMonitorsAreNamedAndForeignOnesIgnored() async throws {
        let (h, settings, vehicle) = try await simulator()
        let deployed = try await h.b2c.monitors(vehicle: vehicle.id, callback: h.callbackID)
        for state in deployed {
            try await h.b2c.deleteMonitor(vehicle: vehicle.id, callback: h.callbackID, id: state.monitorId)
        }
        // One monitor Vigie wrote for a rule gone from the bundle, one someone else wrote.
        var stale = try XCTUnwrap(deployed.first).monitor
        stale.label = "vigie:old/rule:0123456789abcdef"
        _ = try await h.b2c.createMonitor(vehicle: vehicle.id, callback: h.callbackID, stale)
        var foreign = stale
        foreign.label = "my own monitor"
        _ = try await h.b2c.createMonitor(vehicle: vehicle.id, callback: h.callbackID, foreign)

        let access = APIAccess(metrics: RuntimeMetrics(), logger: Logger(label: "test"))
        access.attach(h.vehicleAPI)
        let watcher = DriftWatcher(settings: settings, bundles: try ServeHarness.bundles(Self.rules), access: access,
                                   center: nil, metrics: RuntimeMetrics(), clock: h.clock, logger: Logger(label: "test"))
        let driftResult = await watcher.check()
        let drift = try XCTUnwrap(driftResult)
        XCTAssertEqual(drift.missing.count, vehicle.monitors.count)
        XCTAssertEqual(drift.extra, [MonitorDrift.Item(scope: "vehicle \(h.vins[0])", label: "vigie:old/rule:0123456789abcdef")])
        XCTAssertEqual(drift.changed, [])
        let summary = drift.summary()
        XCTAssertTrue(summary.hasPrefix("\(vehicle.monitors.count) missing (vehicle \(h.vins[0]): test/"), summary)
        XCTAssertTrue(summary.hasSuffix("1 extra (vehicle \(h.vins[0]): old/rule)"), summary)
    }

    /// Several instances on PostgreSQL: only the one `runsHere` names (partition 0's holder)
    /// lists the monitors; the others skip their periods — no gauge, no alert, no listing.
    func testOnlyTheInstanceThatRunsTheCheckListsTheMonitors() async throws {
        let (h, settings, _) = try await simulator(deploy: false)   // every monitor is missing
        let metrics = RuntimeMetrics()
        let access = APIAccess(metrics: metrics, logger: Logger(label: "test"))
        access.attach(h.vehicleAPI)
        let store = try OutcomeDatabase.inMemory()
        let sink = AlertTests.RecordingSink()
        let center = AlertCenter(store: store, sink: sink, channels: ["ops"], clock: h.clock, logger: Logger(label: "test"))
        let here = HoldsPartitionZero()
        let watcher = DriftWatcher(settings: settings, bundles: try ServeHarness.bundles(Self.rules), access: access,
                                   center: center, metrics: metrics, clock: h.clock, logger: Logger(label: "test"),
                                   runsHere: { here.value.withLock { $0 } })
        let skipped = await watcher.checkIfHere()
        XCTAssertNil(skipped, "an instance not holding partition 0 checked")
        XCTAssertEqual(sink.summary, [])
        XCTAssertFalse(metrics.render().contains("vigie_monitors_drifted 1"), metrics.render())
        XCTAssertNil(settings.labels.label(vin: h.vins[0]), "the monitors were listed")

        here.value.withLock { $0 = true }   // partition 0 moved here
        let checkedResult = await watcher.checkIfHere()
        let checked = try XCTUnwrap(checkedResult)
        XCTAssertFalse(checked.missing.isEmpty)
        XCTAssertEqual(sink.summary, ["monitors-drifted/firing"])
    }

    /// In `vigie serve`: checked once the API is ready, then every period of the clock;
    /// the incident is stored and `/metrics` carries the gauge.
    func testServeChecksAtStartAndEveryPeriod() async throws {
        let (h, settings, vehicle) = try await simulator()
        let present = try await h.b2c.monitors(vehicle: vehicle.id, callback: h.callbackID)
        let first = try XCTUnwrap(present.first)
        // Deleted before serve starts: the check at start sees it.
        try await h.b2c.deleteMonitor(vehicle: vehicle.id, callback: h.callbackID, id: first.monitorId)

        let sink = ChannelConfiguration(name: "ops", settings: .webhook(.init(url: URL(string: "http://127.0.0.1:9/hook")!,
                                                                              secret: ChannelSecret("s3cret"))),
                                      timeout: 1)   // nothing listens there: do not hold the shutdown
        try await h.startRuntime(rules: Self.rules) { runtime in
            runtime.drift = settings
            runtime.notifications = NotifierSettings(channels: [sink], alerts: ["ops"])
        }
        let database = try h.database()
        try await h.waitUntil("the drift alert at start", step: 0) {
            try database.openAlertIncidents().map(\.kind) == ["monitors-drifted"]
        }
        let (_, metrics) = try await h.get("/metrics")
        XCTAssertTrue(metrics.contains("\nvigie_monitors_drifted 1\n"), metrics)

        // Deployed again: seen at the next period, not before. The watcher sleeps toward
        // the period's end (the check at start ran at the clock's start), so moving the
        // clock short of it wakes nothing.
        let next = ServeHarness.start.addingTimeInterval(settings.period)
        try await h.waitUntil("the watcher sleeping until the next period", step: 0) { h.clock.sleepers.contains(next) }
        try await deploy(h, settings)
        h.clock.advance(by: 899)
        XCTAssertTrue(h.clock.sleepers.contains(next))
        XCTAssertEqual(try database.openAlertIncidents().map(\.kind), ["monitors-drifted"])
        h.clock.advance(by: 1)
        try await h.waitUntil("resolved at the next check", step: 0) { try database.openAlertIncidents().isEmpty }
        let (_, after) = try await h.get("/metrics")
        XCTAssertTrue(after.contains("\nvigie_monitors_drifted 0\n"), after)
    }

    /// `{{vehicle.name}}` in serve: the inventory names no vehicle here, so the API's label
    /// (read by the drift check's listing) is printed, and the delivery's `vehicle` is it.
    func testVehicleNameFallsBackToTheAPILabelInServe() async throws {
        let (h, settings, _) = try await simulator()
        let listed = try await h.b2c.vehicles()
        let label = try XCTUnwrap(listed.first { $0.vin == h.vins[0] }?.label)
        XCTAssertFalse(label.isEmpty)
        let sink = ChannelConfiguration(name: "phone", settings: .webhook(.init(url: URL(string: "http://127.0.0.1:9/hook")!,
                                                                                secret: ChannelSecret("s3cret"))),
                                        timeout: 1)
        try await h.startRuntime(rules: Self.rules) { runtime in
            runtime.drift = settings
            var notifications = NotifierSettings(channels: [sink], defaults: ["phone"])
            notifications.vehicleLabels = settings.labels
            runtime.notifications = notifications
        }
        try await h.waitUntil("the labels read", step: 0) { settings.labels.label(vin: h.vins[0]) == label }
        let status = try await h.notify(vin: h.vins[0], values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(status, 200)
        let database = try h.database()
        func low() throws -> ActionRecord? { try h.actions().first { $0.kind == "notify" && $0.payload.contains("low at") } }
        try await h.waitUntil("the notify action", step: 0) { try low() != nil }
        let action = try XCTUnwrap(try low())
        XCTAssertTrue(action.payload.contains("\(label) low at 15 %"), action.payload)
        let deliveries = try database.notificationDeliveries(firingIds: [action.firingId])
        XCTAssertEqual(deliveries.map(\.request.vehicle), [label])
    }
}

extension DriftWatcherTests {
    /// An access that lists nothing deployed and reports the quota it is given.
    final class QuotaAPI: VehicleAPI, MonitorDriftSource {
        let rateLimitStatus: RateLimitStatus
        private let calls = Mutex(0)
        var reports: Int { calls.withLock { $0 } }
        init(dayLimit: Int, dayRemaining: Int) {
            rateLimitStatus = RateLimitStatus(dayLimit: dayLimit, dayRemaining: dayRemaining)
        }
        func postRemote(vin: String, body: Remote) async throws -> String { throw CancellationError() }
        func remotes(vin: String) async throws -> [RemoteAction] { [] }
        func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
        func driftReport(bundles: [CheckedBundle], settings: DriftSettings) async throws -> DriftReport {
            calls.withLock { $0 += 1 }
            return DriftReport(drift: MonitorDrift(missing: [.init(scope: "vehicle V", label: "vigie:test/low:0123456789abcdef")]))
        }
    }

    func testNoCheckWhileTheDailyQuotaIsNearlySpent() async throws {
        for (left, checked) in [(99, false), (100, true)] {
            let api = QuotaAPI(dayLimit: 1_000, dayRemaining: left)
            let access = APIAccess(metrics: RuntimeMetrics(), logger: Logger(label: "test"))
            access.attach(api)
            let watcher = DriftWatcher(settings: DriftSettings(options: CompileOptions()), bundles: [], access: access,
                                       center: nil, metrics: RuntimeMetrics(), clock: ManualClock(ServeHarness.start),
                                       logger: Logger(label: "test"))
            let drift = await watcher.check()
            XCTAssertEqual(drift != nil, checked, "\(left) of 1000 left")
            XCTAssertEqual(api.reports, checked ? 1 : 0)
        }
    }
}

/// Whether the test's instance holds partition 0 (shared with the watcher's closure).
private final class HoldsPartitionZero: Sendable {
    let value = Mutex(false)
}
