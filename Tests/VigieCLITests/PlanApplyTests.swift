import Foundation
import StellantisModels
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie plan` / `vigie apply` against the simulator over loopback: creates, a second
/// plan with no changes, updates, deletes, monitors Vigie does not own, B2B fleets.
final class PlanApplyTests: XCTestCase {
    func testPlanShowsCreatesApplyDeploysAndASecondApplyChangesNothing() async throws {
        let world = try await startPlanWorld()
        try world.writeBundle("ev", thresholds: [20, 10])
        try world.writeConfig()

        let plan = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(plan.code, 2, plan.err)
        XCTAssertTrue(plan.out.contains("  + callback \"vigie\""), plan.out)
        XCTAssertTrue(plan.out.contains("target: http://127.0.0.1:9/hooks/webhook/<redacted>"), plan.out)
        let vins = try await world.b2c().vehicles().compactMap(\.vin)
        XCTAssertEqual(vins.count, 2)
        for vin in vins { XCTAssertTrue(plan.out.contains("  + monitor on vehicle \(vin)"), plan.out) }
        let monitorCreates = plan.out.components(separatedBy: "  + monitor on vehicle").count - 1
        XCTAssertTrue(plan.out.hasSuffix("Plan: \(monitorCreates + 1) to create, 0 to update, 0 to delete.\n"), plan.out)
        XCTAssertFalse(plan.out.contains(PlanTestWorld.webhookSecret))
        let untouched = try await world.deployedLabels()
        XCTAssertTrue(untouched.isEmpty, "plan changed something: \(untouched)")

        let apply = await world.run(Deploy.apply)
        XCTAssertEqual(apply.code, 0, apply.err)
        XCTAssertTrue(apply.out.contains("Apply complete: \(monitorCreates + 1) created, 0 updated, 0 deleted"), apply.out)
        XCTAssertTrue(apply.out.contains("[\(monitorCreates + 1)/\(monitorCreates + 1)] creating monitor"), apply.out)
        let deployed = try await world.deployedLabels()
        XCTAssertEqual(Set(deployed.keys), Set(vins))
        for labels in deployed.values {
            XCTAssertTrue(labels.allSatisfy { $0.hasPrefix("vigie:ev/low-") }, "\(labels)")
        }

        let again = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(again.code, 0, again.out + again.err)
        XCTAssertTrue(again.out.hasSuffix("No changes.\n"), again.out)
        XCTAssertTrue(again.out.contains("Vigie monitors up to date: \(monitorCreates)."), again.out)
        let secondApply = await world.run(Deploy.apply)
        XCTAssertEqual(secondApply.code, 0)
        XCTAssertFalse(secondApply.out.contains("Apply complete"), secondApply.out)
        let after = try await world.deployedLabels()
        XCTAssertEqual(after, deployed)
    }

    func testARuleChangeUpdatesInPlaceAndARemovedRuleIsDeleted() async throws {
        let world = try await startAppliedPlanWorld()
        let before = try await world.deployedLabels()

        // Same rule, new threshold: the monitor serving ev/low-20 is updated in place (same id).
        try world.write("rules/ev.yaml", """
            vigie: 1
            bundle: ev
            rules:
              - id: low-20
                when: battery.level < 25 % and charging.plugged
                then:
                  - notify: "{{vin}} low"

            """)
        let changed = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(changed.code, 2, changed.err)
        XCTAssertTrue(changed.out.contains("  ~ monitor on vehicle"), changed.out)
        XCTAssertTrue(changed.out.hasSuffix("Plan: 0 to create, 1 to update, 0 to delete.\n"), changed.out)
        XCTAssertTrue(changed.out.contains("lowerThan [25]"), "the new trigger value is shown: \(changed.out)")
        let update = await world.run(Deploy.apply)
        XCTAssertEqual(update.code, 0, update.err)
        XCTAssertTrue(update.out.contains("0 created, 1 updated, 0 deleted"), update.out)
        let updated = try await world.deployedLabels()
        XCTAssertNotEqual(updated, before)
        XCTAssertEqual(updated.values.flatMap { $0 }.count, before.values.flatMap { $0 }.count)

        // The alerts bundle goes away: its monitor is deleted, nothing else changes.
        try world.removeFile("rules/alerts.yaml")
        let removed = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(removed.code, 2, removed.err)
        XCTAssertTrue(removed.out.contains("  - monitor on vehicle"), removed.out)
        XCTAssertTrue(removed.out.contains("vigie:alerts/low-5:"), removed.out)
        XCTAssertTrue(removed.out.hasSuffix("Plan: 0 to create, 0 to update, 1 to delete.\n"), removed.out)
        let step1 = await world.run(Deploy.apply)
        XCTAssertEqual(step1.code, 0)
        let final = try await world.deployedLabels()
        XCTAssertFalse(final.values.joined().contains { $0.contains("alerts/") }, "\(final)")
        let step2 = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(step2.code, 0)
    }

    func testAMonitorVigieDoesNotOwnIsLeftAlone() async throws {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        let step3 = await world.run(Deploy.apply)
        XCTAssertEqual(step3.code, 0)
        let client = try await world.b2c()
        let callbacks = try await client.callbacks()
        let callback = try XCTUnwrap(callbacks.first { $0.label == "vigie" })
        let vehicles = try await client.vehicles()
        let vehicle = try XCTUnwrap(vehicles.first)
        let foreign = MonitorParameter(label: "my-own-monitor", triggerParam: TriggerParam(
            triggers: [MonitorTrigger(name: "odo", data: DataTrigger(data: "vehicle.odometer", op: .greaterThan, value: ["100000"]))],
            boolExp: "odo"))
        _ = try await client.createMonitor(vehicle: vehicle.id, callback: callback.id, foreign)

        let plan = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(plan.code, 0, plan.out)
        XCTAssertTrue(plan.out.contains("1 monitor not owned by Vigie left alone"), plan.out)
        // Even with no rule at all, only Vigie's monitors go.
        try world.removeFile("rules/ev.yaml")
        try world.writeBundle("other", thresholds: [30], selector: "[{tag: nobody}]")
        let cleared = await world.run(Deploy.plan, detailed: true)
        XCTAssertFalse(cleared.out.contains("my-own-monitor"), cleared.out)
        let step4 = await world.run(Deploy.apply)
        XCTAssertEqual(step4.code, 0)
        let left = try await world.deployedLabels()
        XCTAssertEqual(left.values.flatMap { $0 }, ["my-own-monitor"])
    }

    func testJSONPlanHasSortedKeysAndNoSecret() async throws {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        let plan = await world.run(Deploy.plan, format: .json)
        XCTAssertEqual(plan.code, 0, plan.err)
        XCTAssertFalse(plan.out.contains(PlanTestWorld.webhookSecret))
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])
        XCTAssertEqual(root["changes"] as? Bool, true)
        let summary = try XCTUnwrap(root["summary"] as? [String: Int])
        XCTAssertEqual(summary["update"], 0)
        XCTAssertEqual(summary["delete"], 0)
        let monitors = try XCTUnwrap(root["monitors"] as? [[String: Any]])
        XCTAssertEqual(summary["create"], monitors.count + 1)
        XCTAssertTrue(monitors.allSatisfy { $0["action"] as? String == "create" && $0["vin"] is String })
        XCTAssertTrue(plan.out.hasPrefix("{\n  \"callback\": {"), plan.out)
    }

    func testFleetMonitorsOfB2B() async throws {
        let world = try await startPlanWorld(vehicles: 3)
        try world.writeBundle("ev", thresholds: [20, 10])
        try world.writeConfig(kind: "b2b")
        let plan = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(plan.code, 2, plan.err)
        XCTAssertTrue(plan.out.contains("  + monitor on fleet \(world.config.fleetId)"), plan.out)
        let step5 = await world.run(Deploy.apply)
        XCTAssertEqual(step5.code, 0)
        let again = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(again.code, 0, again.out + again.err)
        XCTAssertTrue(again.out.hasSuffix("No changes.\n"), again.out)
    }

    func testANewPublicURLUpdatesTheCallbackAndB2BMonitors() async throws {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig(kind: "b2b")
        let first = await world.run(Deploy.apply)
        XCTAssertEqual(first.code, 0, first.err)
        let text = try String(contentsOfFile: world.configPath, encoding: .utf8)
        try world.write("vigie.yaml", text.replacingOccurrences(of: "http://127.0.0.1:9/hooks", with: "https://moved.example.com"))
        let plan = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(plan.code, 2, plan.err)
        XCTAssertTrue(plan.out.contains("  ~ callback \"vigie\" (id "), plan.out)
        XCTAssertTrue(plan.out.contains("target: https://moved.example.com/webhook/<redacted>"), plan.out)
        // The fleet monitors carry the webhook target too: they are updated in place.
        XCTAssertTrue(plan.out.contains("  ~ monitor on fleet"), plan.out)
        XCTAssertEqual(plan.out.components(separatedBy: "\n").last { !$0.isEmpty }, "Plan: 0 to create, 2 to update, 0 to delete.")
        let apply = await world.run(Deploy.apply)
        XCTAssertEqual(apply.code, 0, apply.err)
        let again = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(again.code, 0, again.out + again.err)
    }

    func testUnknownVehiclesSkippedWhenOnlyASelectorNamesThemAndAnErrorInTheInventory() async throws {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20], selector: "[{vin: NOT-IN-ACCOUNT}]")
        try world.writeConfig()
        let skipped = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(skipped.code, 2, skipped.err)
        XCTAssertTrue(skipped.err.contains("warning: vehicle NOT-IN-ACCOUNT, named by a `vin` selector, is not among"), skipped.err)
        XCTAssertTrue(skipped.out.hasSuffix("Plan: 1 to create, 0 to update, 0 to delete.\n"), skipped.out)

        try world.writeConfig(vehicles: ["NOT-IN-ACCOUNT"])
        let refused = await world.run(Deploy.plan, detailed: true)
        XCTAssertEqual(refused.code, 1)
        XCTAssertTrue(refused.err.contains("error: vehicle NOT-IN-ACCOUNT of the inventory is not among the vehicles the API lists"),
                      refused.err)
    }
}
