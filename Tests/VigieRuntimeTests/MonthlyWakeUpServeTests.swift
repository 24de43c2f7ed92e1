import Foundation
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// Issue 19 part 5 through `vigie serve`: a wake-up past the monthly cap is never POSTed,
/// and is recorded, counted and journalled with its reason.
final class MonthlyWakeUpServeTests: XCTestCase {
    static let wakeRule = """
        vigie: 1
        bundle: test
        rules:
          - id: wake-when-low
            when: battery.level < 20
            then:
              - wake_up: true
        """

    func testAWakeUpPastTheMonthlyCapIsSkippedWithItsReason() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let safety = SafetyFixtures.makeGuard(database: try h.database())
        let runtime = try await h.startRuntime(rules: Self.wakeRule, guard: safety) { $0.wakeUpsPerMonth = 1 }
        let vin = h.vins[0]
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the first wake-up succeeds") { try h.actions().first?.actionStatus == .succeeded }
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "60"])
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "12"])
        try await h.waitUntil("the second wake-up is settled") {
            try h.actions().filter { $0.kind == "remote" }.count == 2
                && h.actions().filter { $0.kind == "remote" }.last?.actionStatus?.isFinal == true
        }
        let second = try XCTUnwrap(h.actions().filter { $0.kind == "remote" }.last)
        XCTAssertEqual(second.actionStatus, .skipped, "the daily budget (2) allows it, the monthly cap (1) does not")
        XCTAssertEqual(second.failureCause, "budget")
        XCTAssertEqual(try h.database().attempts(actionId: second.id!).count, 0, "never POSTed")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.budgetExceeded, ["budget": "wakeUpsPerMonth"]), 1)
        let journal = try h.database().controlEvents(kind: .budgetStopped, vin: vin, since: ServeHarness.start)
        XCTAssertEqual(journal.map(\.detail), ["monthly wake-up budget of 1 spent"])
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 1)
    }
}
