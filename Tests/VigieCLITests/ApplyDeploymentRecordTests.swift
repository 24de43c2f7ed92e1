import Foundation
import OutcomeStore
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie apply` records what it leaves deployed in the configuration's store, for the
/// console's Deployments page: the same monitors (ids, labels) as the API lists, the rules
/// each serves, replaced whole by the next apply, an unchanged monitor keeping its instant.
final class ApplyDeploymentRecordTests: XCTestCase {
    private func recorded(_ world: PlanTestWorld) throws -> [DeployedMonitorRecord] {
        try OutcomeDatabase(path: world.folder.appendingPathComponent("vigie.sqlite").path)
            .deployedMonitors(vin: nil, offset: 0, limit: 1000)
    }

    private func labelsByVIN(_ monitors: [DeployedMonitorRecord]) -> [String: [String]] {
        Dictionary(grouping: monitors, by: { $0.vin ?? "" }).mapValues { $0.map(\.label).sorted() }
    }

    func testApplyRecordsTheDeploymentAndTheNextApplyReplacesIt() async throws {
        let world = try await startAppliedPlanWorld()
        let deployed = try await world.deployedLabels()
        let before = try recorded(world)
        XCTAssertEqual(labelsByVIN(before), deployed, "the record is what the API lists")
        XCTAssertTrue(before.allSatisfy { !$0.monitorId.isEmpty && $0.fleet == nil })
        XCTAssertEqual(Set(before.flatMap(\.rules)), ["alerts/low-5", "ev/low-20"])

        // ev changes (its monitor is updated), alerts goes (its monitor is deleted).
        try world.writeBundle("ev", thresholds: [25])
        try world.removeFile("rules/alerts.yaml")
        let second = await world.run(Deploy.apply)
        XCTAssertEqual(second.code, 0, second.err)
        let after = try recorded(world)
        let listed = try await world.deployedLabels()
        XCTAssertEqual(labelsByVIN(after), listed)
        XCTAssertEqual(Set(after.flatMap(\.rules)), ["ev/low-25"])

        // Nothing to change: the record stays, each monitor keeping its instant.
        let third = await world.run(Deploy.apply)
        XCTAssertEqual(third.code, 0, third.err)
        XCTAssertEqual(try recorded(world), after)
    }
}
