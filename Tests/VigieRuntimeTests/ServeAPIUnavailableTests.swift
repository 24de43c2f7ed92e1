import AsyncHTTPClient
import Foundation
import Logging
import OutcomeStore
import RuleEngine
import XCTest
@testable import VigieRuntime

/// Never deaf: `vigie serve` binds and stores before anything talks to the API. Started
/// while the API access cannot be built, it receives, stores and decides; `/readyz`
/// answers 503 with the reason and `vigie_api_ready` is 0; the commands wait in the
/// outbox and go out — once — when the access works again.
final class ServeAPIUnavailableTests: XCTestCase {
    /// The API access as a switch: refused while closed; counts the tries.
    actor APIGate {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "connection refused by the test's gate" }
        }

        private(set) var isOpen = false
        private(set) var tries = 0

        func open() { isOpen = true }

        func access(_ api: any VehicleAPI) throws -> any VehicleAPI {
            tries += 1
            guard isOpen else { throw Refused() }
            return api
        }
    }

    private func runtime(_ h: ServeHarness, gate: APIGate) throws -> ServeRuntime {
        var settings = RuntimeSettings(port: 0, webhookSecret: h.secret, remoteTimeout: 120, retryBase: 5)
        settings.apiRetryBase = 0.02
        settings.apiRetryCap = 0.1
        var logger = Logger(label: "serve-test")
        logger.logLevel = .critical
        let api = h.vehicleAPI
        return ServeRuntime(settings: settings, database: try OutcomeDatabase(path: h.dbPath),
                            bundles: try ServeHarness.bundles(ServeRuntimeTests.hornRule),
                            inventory: Inventory(vehicles: h.vins.map { Inventory.Vehicle(vin: $0) }),
                            clock: h.clock, logger: logger) { try await gate.access(api) }
    }

    private func readyz(_ h: ServeHarness, _ runtime: ServeRuntime) async throws -> (Int, String) {
        let response = try await h.http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(runtime.adminPort!)/readyz"),
                                                timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (Int(response.status.code), String(buffer: body))
    }

    func testStartedWithTheAPIUnavailableItStoresAndDecidesThenSendsOnceTheAPIIsBack() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let gate = APIGate()
        let runtime = try runtime(h, gate: gate)
        try await runtime.start()   // does not throw: the listener is up, the API is not
        addTeardownBlock { await runtime.shutdown() }
        let vin = h.vins[0]

        XCTAssertFalse(runtime.readiness.ready)
        let (code, text) = try await readyz(h, runtime)
        XCTAssertEqual(code, 503)
        XCTAssertEqual(text, "not ready: connection refused by the test's gate\n")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.apiReady), 0)

        let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"], port: runtime.boundPort)
        XCTAssertEqual(status, 200, "stored before the 200 while the API is unavailable")
        try await h.waitUntil("the engine decides without the API", step: 0) {
            try h.firings().count == 1 && h.outbox().first?.status == .queued
        }
        // The connector retries on its own backoff: poll until it has tried again.
        let retryDeadline = Date().addingTimeInterval(10)
        while await gate.tries <= 1, Date() < retryDeadline { try await Task.sleep(nanoseconds: 20_000_000) }
        let triesWhileClosed = await gate.tries
        XCTAssertGreaterThan(triesWhileClosed, 1, "the access is tried again in the background")
        let remotesBefore = try await h.simulatorRemotes(vin)
        XCTAssertEqual(remotesBefore.count, 0, "nothing is sent while the API is unavailable")
        XCTAssertEqual(try h.firings().first?.event, "fired")

        await gate.open()
        try await h.waitUntil("the queued command goes out once the API is back", step: 0) {
            try h.outbox().first?.status != .queued
        }
        try await h.waitUntil("ready again", step: 0) { runtime.readiness.ready }
        let (after, body) = try await readyz(h, runtime)
        XCTAssertEqual(after, 200)
        XCTAssertEqual(body, "ready\n")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.apiReady), 1)
        var remotes: [String] = []
        for _ in 0..<100 {
            remotes = try await h.simulatorRemotes(vin).map(\.remoteActionId)
            if !remotes.isEmpty { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertEqual(remotes.count, 1, "the command was POSTed exactly once")
        XCTAssertEqual(try h.actions().first?.attempts, 1)
    }

    func testShutdownWhileTheAPIIsUnavailableEndsTheRetriesAndReturns() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let gate = APIGate()
        let runtime = try runtime(h, gate: gate)
        try await runtime.start()
        var retried = 0
        for _ in 0..<250 where retried < 2 {
            retried = await gate.tries
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTAssertGreaterThanOrEqual(retried, 2, "tried again in the background")
        await runtime.shutdown()
        let tries = await gate.tries
        try await Task.sleep(nanoseconds: 200_000_000)   // twice the back-off cap: a live retry loop would try again
        let later = await gate.tries
        XCTAssertEqual(later, tries, "no try after shutdown")
        await gate.open()
        XCTAssertNil(runtime.api, "the access is not attached after shutdown")
    }
}
