import Foundation
import Logging
import StellantisAPI
import StellantisModels
import Synchronization
import VehicleData
import XCTest
@testable import VigieRuntime

/// The poller service alone, on a manual clock and a fake API: nothing is polled before
/// the API access is attached; then each vehicle at its own interval (a zero interval
/// never), answers handed to the engine as observations at the answer's time; a failed
/// poll is counted and keeps the schedule.
final class PollerServiceTests: XCTestCase {
    static let status = #"{"energy": [{"type": "Electric", "level": 15}]}"#

    func testEachVehicleIsPolledAtItsIntervalOnTheClock() async throws {
        let clock = ManualClock(ServiceFixture.start)
        let api = StatusAPI()
        let access = APIAccess(metrics: RuntimeMetrics(), logger: ServiceFixture.logger)
        let handoff = EngineHandoff()
        let metrics = RuntimeMetrics()
        let poller = Poller(intervals: ["V1": 60, "V2": 120, "V3": 0], access: access, clock: clock, engine: handoff,
                            metrics: metrics, logger: ServiceFixture.logger)
        let task = Task { try await poller.run() }
        defer { task.cancel() }

        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(api.polled, [], "polled before the API access was attached")
        access.attach(api)
        try await waitUntil("the first polls") { api.polled.count == 2 }
        XCTAssertEqual(api.polled, ["V1", "V2"], "each vehicle at start; never one with no interval")
        let first = handoff.take().polls
        XCTAssertEqual(first.map(\.vin), ["V1", "V2"])
        XCTAssertEqual(first.map(\.at), [ServiceFixture.start, ServiceFixture.start], "observed at the answer's time")
        XCTAssertFalse(first[0].observation.isEmpty, "the status decoded into an observation")

        clock.advance(by: 59)
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(api.polled.count, 2, "polled before its interval")
        clock.advance(by: 1)
        try await waitUntil("V1 again after 60 s") { api.polled.count == 3 }
        XCTAssertEqual(api.polled.last, "V1")
        clock.advance(by: 60)
        try await waitUntil("both after 120 s") { api.polled.count == 5 }
        XCTAssertEqual(Array(api.polled.suffix(2)), ["V1", "V2"])
        XCTAssertEqual(handoff.take().polls.map(\.at), [60, 120, 120].map { ServiceFixture.start.addingTimeInterval($0) })
        XCTAssertEqual(metrics.value(RuntimeMetrics.polls, ["result": "ok"]), 5)
    }

    func testAFailedPollIsCountedAndKeepsTheSchedule() async throws {
        let clock = ManualClock(ServiceFixture.start)
        let api = StatusAPI(failing: ["V1"])
        let access = APIAccess(metrics: RuntimeMetrics(), logger: ServiceFixture.logger)
        access.attach(api)
        let handoff = EngineHandoff()
        let metrics = RuntimeMetrics()
        let poller = Poller(intervals: ["V1": 30], access: access, clock: clock, engine: handoff, metrics: metrics,
                            logger: ServiceFixture.logger)
        let task = Task { try await poller.run() }
        defer { task.cancel() }

        try await waitUntil("the first poll") { api.polled.count == 1 }
        try await waitUntil("counted") { metrics.value(RuntimeMetrics.polls, ["result": "error"]) == 1 }
        XCTAssertTrue(handoff.take().polls.isEmpty, "a failed poll reached the engine")
        clock.advance(by: 30)
        try await waitUntil("polled again at its interval") { api.polled.count == 2 }
        try await waitUntil("counted") { metrics.value(RuntimeMetrics.polls, ["result": "error"]) == 2 }
        XCTAssertEqual(metrics.value(RuntimeMetrics.apiCalls, ["operation": "status", "result": "error"]), 2)
    }
}

/// A `VehicleAPI` that answers `GET status` (failing for some vehicles) and notes each poll.
final class StatusAPI: VehicleAPI {
    struct Down: Error {}

    private let failing: Set<String>
    private let calls = Mutex<[String]>([])
    var polled: [String] { calls.withLock { $0 } }

    init(failing: Set<String> = []) { self.failing = failing }

    func status(vin: String) async throws -> VehicleStatus {
        calls.withLock { $0.append(vin) }
        if failing.contains(vin) { throw Down() }
        return VehicleStatus(json: try JSONDecoder().decode(JSONValue.self, from: Data(PollerServiceTests.status.utf8)))
    }

    func postRemote(vin: String, body: Remote) async throws -> String { throw Down() }
    func remotes(vin: String) async throws -> [RemoteAction] { [] }
    var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
}
