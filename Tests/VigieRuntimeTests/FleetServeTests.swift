import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOCore
import OutcomeStore
import RuleEngine
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import VigieTestSupport
import XCTest
@testable import VigieRuntime

/// A fleet's notifications, built from api-b2b-webhook-template-v3.yaml's own schemas,
/// through the whole runtime: receiver → inbox → engine → dispatcher, and remote
/// progress from the fleet's `RemoteEvents` — Pending → Done, with a failure cause.
final class FleetServeTests: XCTestCase {
    static let rules = """
        vigie: 1
        bundle: fleet
        timezone: Europe/Paris
        vehicles: all
        rules:
          - id: low-and-plugged
            when: battery.level < 20 % and charging.plugged
            then:
              - charge: start
              - notify: "{{vin}} at {{battery.level}} %"
        """

    /// The vehicle API of a fleet as the dispatcher sees it: accepts each remote and
    /// answers its id (`ra-<vin>`); progress then comes only from the notifications.
    final class AcceptingAPI: VehicleAPI, Sendable {
        private let posted = Mutex<[(vin: String, body: Remote)]>([])
        var remotesPosted: [(vin: String, body: Remote)] { posted.withLock { $0 } }
        func postRemote(vin: String, body: Remote) async throws -> String {
            posted.withLock { $0.append((vin, body)) }
            return "ra-\(vin)"
        }
        func remotes(vin: String) async throws -> [RemoteAction] { [] }
        func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
        var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
    }

    func testFleetNotificationsFireForEveryVehicleAndFleetRemotesGoPendingThenDone() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        let api = AcceptingAPI()
        var logger = Logger(label: "fleet-serve-test")
        logger.logLevel = .warning
        let runtime = ServeRuntime(
            settings: RuntimeSettings(port: 0, webhookSecret: h.secret, remoteTimeout: 600, retryBase: 5),
            database: try OutcomeDatabase(path: h.dbPath), bundles: try ServeHarness.bundles(Self.rules),
            inventory: Inventory(vehicles: []), pollIntervals: [:], decisionGuard: NoGuard(), clock: h.clock,
            logger: logger) { api }
        try await runtime.start()
        addTeardownBlock { await runtime.shutdown() }
        let port = try XCTUnwrap(runtime.boundPort)

        let templates = try FleetTemplateMessages()
        let vins = ["VR3UHZKXZLT100001", "VR3UHZKXZLT100002", "VR3UHZKXZLT100003", "VR3UHZKXZLT100004"]
        let date = Timestamp.format(h.clock.now())
        // `charging.plugged` only comes from the `vehicle.status` extension; the level in
        // it (64) is overridden by the event's `values` (read after the extensions). The
        // fourth car is not plugged: it does not fire.
        let events = vins.enumerated().map { index, vin in
            FleetTemplateMessages.MonitorEvent(
                vin: vin, eventDate: date, values: [("vehicle.energy.electric.level", "1\(index)")],
                status: .object(["energies": .array([.object([
                    "type": .string("Electric"), "level": .number(64),
                    "extension": .object(["electric": .object(["charging": .object([
                        "plugged": .bool(index < 3), "status": .string("Disconnected")])])]),
                ])])]))
        }
        let monitorBody = try templates.monitorEvents(monitorId: "fmon-1", events)
        let postedmonitorBody = try await post(h, port, monitorBody)
        XCTAssertEqual(postedmonitorBody, 200)
        try await h.waitUntil("a command for each plugged car is sent") {
            try h.actions().filter { $0.kind == "remote" && $0.actionStatus == .sent }.count == 3
        }
        XCTAssertEqual(Set(try h.firings().filter { $0.event == "fired" }.map(\.vin)), Set(vins.prefix(3)))
        XCTAssertEqual(Set(api.remotesPosted.map(\.vin)), Set(vins.prefix(3)))

        // The fleet's remote progress: Pending, then Done (success, and a failure with its cause).
        let later = Timestamp.format(h.clock.now().addingTimeInterval(1))
        let remoteBody = try templates.remoteEvents(callbackId: "rcb-1", [
            .init(remoteActionId: "ra-\(vins[0])", vin: vins[0], eventDate: date, type: "Pending", status: "Accepted"),
            .init(remoteActionId: "ra-\(vins[1])", vin: vins[1], eventDate: date, type: "Pending", status: "WakingUpVehicle"),
            .init(remoteActionId: "ra-\(vins[2])", vin: vins[2], eventDate: date, type: "Pending", status: "Accepted"),
        ])
        let postedremoteBody = try await post(h, port, remoteBody)
        XCTAssertEqual(postedremoteBody, 200)
        try await h.waitUntil("every command is pending") {
            try h.actions().filter { $0.kind == "remote" }.allSatisfy { $0.actionStatus == .pending }
        }
        let doneBody = try templates.remoteEvents(callbackId: "rcb-1", [
            .init(remoteActionId: "ra-\(vins[0])", vin: vins[0], eventDate: later, type: "Done", status: "Success"),
            .init(remoteActionId: "ra-\(vins[1])", vin: vins[1], eventDate: later, type: "Done", status: "Failed",
                  failureCause: "NotPossibleDueToVehicleBatteryLevel"),
        ])
        let posteddoneBody = try await post(h, port, doneBody)
        XCTAssertEqual(posteddoneBody, 200)
        try await h.waitUntil("the done events are applied") {
            try h.actions().filter { $0.kind == "remote" && $0.actionStatus?.isFinal == true }.count == 2
        }
        let byVIN = Dictionary(uniqueKeysWithValues: try h.actions().filter { $0.kind == "remote" }.map { ($0.vin, $0) })
        XCTAssertEqual(byVIN[vins[0]]?.actionStatus, .succeeded)
        XCTAssertEqual(byVIN[vins[1]]?.actionStatus, .failed)
        XCTAssertEqual(byVIN[vins[1]]?.failureCause, "NotPossibleDueToVehicleBatteryLevel")
        XCTAssertEqual(byVIN[vins[2]]?.actionStatus, .pending)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.remoteEvents, ["type": "Pending"]), 3)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.remoteEvents, ["type": "Done"]), 2)
        let deadLetters = try await h.database().writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deadLetter") }
        XCTAssertEqual(deadLetters, 0)

        // The live /metrics passes promtool.
        let metrics = try await h.http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(runtime.adminPort!)/metrics"), timeout: .seconds(10))
        let text = String(buffer: try await metrics.body.collect(upTo: 1 << 20))
        XCTAssertTrue(text.contains(#"vigie_remote_events_total{type="Done"} 2"#), text)
        let (status, output) = try MetricsTests.promtool(text)
        XCTAssertEqual(status, 0, output)
    }

    private func post(_ h: ServeHarness, _ port: Int, _ body: JSONValue) async throws -> Int {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhook/\(h.secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: StoreJSON.data(body)))
        let response = try await h.http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
