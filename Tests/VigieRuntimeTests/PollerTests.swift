import Foundation
import OutcomeStore
import RuleEngine
import XCTest
@testable import VigieRuntime

/// Rules the compiler could not watch server-side are fed by polling `GET status` at the
/// interval it chose, through the same engine loop.
final class PollerTests: XCTestCase {
    static let pollingRule = """
        vigie: 1
        bundle: test
        rules:
          - id: left-unlocked
            when: not doors.locked and ignition == Stop
            for: 2m
            then:
              - notify: "{{vin}} left unlocked"
        """

    func testAPolledRuleGetsTheStatusAtTheCompilersInterval() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let vin = h.vins[0]
        let bundles = try ServeHarness.bundles(Self.pollingRule)
        let intervals = ServeRuntime.pollIntervals(bundles: bundles, inventory: Inventory(vehicles: [.init(vin: vin)]))
        XCTAssertEqual(intervals, [vin: 120], "ignition has no monitor path: polled every `for` (≥ 60 s)")
        let runtime = try await h.startRuntime(rules: Self.pollingRule, pollIntervals: intervals)
        try await h.waitUntil("the first poll at start", step: 0) {
            runtime.metrics.value(RuntimeMetrics.observations, ["source": "poll"]) >= 1
        }
        try await h.waitUntil("the state is saved", step: 0) {
            try h.database().engineState(scope: "serve").vehicles[vin] != nil
        }
        let saved = try XCTUnwrap(h.database().engineState(scope: "serve").vehicles[vin])
        let snapshot = try JSONDecoder().decode(VehicleSnapshot.self, from: saved)
        XCTAssertNotNil(snapshot.fields.first { $0.field == "doors.locked" }, "the polled status reached the engine")
        await h.advance(60)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.polls, ["result": "ok"]), 1, "not before the interval")
        await h.advance(61)
        try await h.waitUntil("the second poll", step: 0) {
            runtime.metrics.value(RuntimeMetrics.polls, ["result": "ok"]) >= 2
        }
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.apiCalls, ["operation": "status", "result": "ok"]), 2)
    }
}
