import Foundation
import OutcomeStore
import RuleEngine
import XCTest
@testable import VigieRuntime

/// Event time through the running runtime (receiver over HTTP, the engine loop's own
/// task and ticks): notifications held until the watermark passes their date, observed
/// in date order; a graceful stop leaves held rows in the inbox for the next start.
final class EventTimeServeTests: XCTestCase {
    static let rules = """
        vigie: 1
        bundle: test
        rules:
          - id: level-changed
            when: changed(battery.level)
            then:
              - notify: "{{vin}} now at {{battery.level}}"
        """

    /// The simulator and a runtime with a reorder window of 5 s over `rules`.
    private func startWithReorderWindow() async throws -> (ServeHarness, ServeRuntime) {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        return (h, try await h.startRuntime(rules: Self.rules) { $0.reorderWindow = 5 })
    }

    func testNotificationsWaitForTheWatermarkAndAreObservedInDateOrder() async throws {
        let (h, runtime) = try await startWithReorderWindow()
        let vin = h.vins[0]
        let t0 = h.clock.now()
        // The later reading first (a batch or a retry reorders them).
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "50"], date: t0.addingTimeInterval(2))
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"], date: t0.addingTimeInterval(1))
        try await h.waitUntil("the loop holds both", step: 0) { runtime.metrics.value(RuntimeMetrics.engineHeld) == 2 }
        XCTAssertEqual(try h.firings(), [], "nothing observed before the watermark passes the dates")
        XCTAssertEqual(try h.database().unprocessedInbox().count, 2, "held rows stay unprocessed")
        h.clock.advance(by: 8)                                    // watermark t0 + 3 s
        try await h.waitUntil("both are observed", step: 0) { try h.database().unprocessedInbox().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(try h.firings().count, 1)
        XCTAssertEqual(Timestamp.format(firing.at), Timestamp.format(t0.addingTimeInterval(2)), "15 % at 1 s, then 50 % at 2 s")
        XCTAssertTrue(firing.actions.contains("now at 50"), firing.actions)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.observationsLate, ["source": "notification"]), 0)
    }

    func testAGracefulStopLeavesHeldRowsForTheNextStart() async throws {
        let (h, runtime) = try await startWithReorderWindow()
        let vin = h.vins[0]
        let t0 = h.clock.now()
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "40"], date: t0)
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "30"], date: t0.addingTimeInterval(1))
        h.clock.advance(by: 5)                                    // watermark t0: the first only
        try await h.waitUntil("the first is observed", step: 0) { try h.database().unprocessedInbox().count == 1 }
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.engineHeld), 1)
        await h.stopRuntime()
        XCTAssertEqual(try h.database().unprocessedInbox().count, 1, "the held row waits in the inbox")
        XCTAssertEqual(try h.firings(), [])
        h.clock.advance(by: 10)
        try await h.startRuntime(rules: Self.rules) { $0.reorderWindow = 5 }
        try await h.waitUntil("it is observed after the restart", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(Timestamp.format(firing.at), Timestamp.format(t0.addingTimeInterval(1)), "at its own date")
        XCTAssertTrue(firing.actions.contains("now at 30"), firing.actions)
    }
}
