import Foundation
import StellantisModels
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie apply` / `vigie plan` as a user runs them: the built binary (exit codes,
/// streams), the confirmation, progress, and a failure in the middle.
final class ApplyCommandTests: XCTestCase {
    func testTheBinaryAppliesAndPlanThenReportsNoChanges() async throws {
        let world = try await startPlanWorld(vehicles: 2)
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        let config = world.configPath
        let plan = try CommandRunner.vigie(["plan", "--config", config, "--detailed-exitcode"], environment: world.environment)
        XCTAssertEqual(plan.exitCode, 2, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("Plan: 2 to create, 0 to update, 0 to delete."), plan.stdout)

        let refused = try CommandRunner.vigie(["apply", "--config", config], environment: world.environment)
        XCTAssertEqual(refused.exitCode, 64)
        XCTAssertTrue(refused.stderr.contains("--auto-approve"), refused.stderr)
        let untouched = try await world.deployedLabels()
        XCTAssertTrue(untouched.isEmpty)

        let apply = try CommandRunner.vigie(["apply", "--config", config, "--auto-approve"], environment: world.environment)
        XCTAssertEqual(apply.exitCode, 0, apply.stderr)
        XCTAssertTrue(apply.stdout.contains("[2/2] creating monitor vigie:ev/low-20:"), apply.stdout)
        XCTAssertTrue(apply.stdout.contains("Apply complete: 2 created, 0 updated, 0 deleted"), apply.stdout)
        let after = try CommandRunner.vigie(["plan", "--config", config, "--detailed-exitcode"], environment: world.environment)
        XCTAssertEqual(after.exitCode, 0, after.stdout + after.stderr)
        XCTAssertTrue(after.stdout.hasSuffix("No changes.\n"))
        for output in [plan, refused, apply, after] {
            XCTAssertFalse(output.stdout.contains(PlanTestWorld.webhookSecret) || output.stderr.contains(PlanTestWorld.webhookSecret))
            XCTAssertFalse(output.stdout.contains(world.config.clientSecret) || output.stderr.contains(world.config.clientSecret))
        }
    }

    func testUsageAndConfigurationErrors() async throws {
        let world = try await startPlanWorld(vehicles: 1)
        let missing = try CommandRunner.vigie(["plan", "--config", world.folder.appendingPathComponent("none.yaml").path])
        XCTAssertEqual(missing.exitCode, 64)
        XCTAssertTrue(missing.stderr.contains("no such configuration file"), missing.stderr)
        let noFlag = try CommandRunner.vigie(["apply"])
        XCTAssertEqual(noFlag.exitCode, 64)

        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        try world.write("vigie.yaml", try String(contentsOfFile: world.configPath, encoding: .utf8) + "log_levle: debug\n")
        let bad = try CommandRunner.vigie(["plan", "--config", world.configPath], environment: world.environment)
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("vigie.yaml:13:1: error: unknown key `log_levle`"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("did you mean `log_level`?"), bad.stderr)

        try world.writeConfig()
        try world.write("rules/ev.yaml", "vigie: 1\nbundle: ev\nrules:\n  - id: x\n    when: battery.levl < 20\n    then: [{horn: on}]\n")
        let rules = try CommandRunner.vigie(["plan", "--config", world.configPath, "--detailed-exitcode"],
                                            environment: world.environment)
        XCTAssertEqual(rules.exitCode, 1)
        XCTAssertTrue(rules.stderr.contains("ev.yaml:5:11: error"), rules.stderr)
    }

    func testTerminalConfirmationAndProgressBar() async throws {
        let world = try await startPlanWorld(vehicles: 3)  // the first user has 2
        try world.writeBundle("ev", thresholds: [20])
        try world.writeConfig()
        let declined = await world.run(Deploy.apply, autoApprove: false, terminal: true, answer: "no")
        XCTAssertEqual(declined.code, 1)
        XCTAssertTrue(declined.out.contains("Only 'yes' will be accepted"), declined.out)
        XCTAssertTrue(declined.err.contains("Apply cancelled."))
        let nothing = try await world.deployedLabels()
        XCTAssertTrue(nothing.isEmpty)

        let approved = await world.run(Deploy.apply, autoApprove: false, terminal: true, answer: "yes")
        XCTAssertEqual(approved.code, 0, approved.err)
        XCTAssertTrue(approved.out.contains("\r\u{1B}[2K[" + String(repeating: "#", count: 24) + "] 3/3 "), approved.out)
        let deployed = try await world.deployedLabels()
        XCTAssertEqual(deployed.count, 2)
    }

    func testApplyStopsAtTheFirstFailureAndSaysWhatWasDone() async throws {
        let world = try await startPlanWorld(vehicles: 3)
        try world.writeBundle("ev", thresholds: [20], selector: "[{tag: nobody}]")
        try world.writeConfig()
        let first = await world.run(Deploy.apply)  // only the callback
        XCTAssertEqual(first.code, 0, first.err)
        let client = try await world.b2c()
        let callbacks = try await client.callbacks()
        let callback = try XCTUnwrap(callbacks.first { $0.label == "vigie" })
        let vehicles = try await client.vehicles()
        let full = try XCTUnwrap(vehicles.last)
        for i in 1 ... 5 {
            let body = MonitorParameter(label: "mine-\(i)", triggerParam: TriggerParam(triggers: [MonitorTrigger(
                name: "odo", data: DataTrigger(data: "vehicle.odometer", op: .greaterThan, value: ["\(1000 * i)"]))], boolExp: "odo"))
            _ = try await client.createMonitor(vehicle: full.id, callback: callback.id, body)
        }
        try world.writeBundle("ev", thresholds: [20])
        let plan = await world.run(Deploy.plan)
        XCTAssertTrue(plan.err.contains("5 monitor(s) not owned by Vigie plus 1 of Vigie's exceed"), plan.err)
        let apply = await world.run(Deploy.apply)
        XCTAssertEqual(apply.code, 1)
        XCTAssertTrue(apply.err.contains("error: creating monitor vigie:ev/low-20:"), apply.err)
        XCTAssertTrue(apply.err.contains("on vehicle \(full.vin ?? "") failed:"), apply.err)
        XCTAssertTrue(apply.err.contains("Run `vigie plan` to see what remains."), apply.err)
        let deployed = try await world.deployedLabels()
        let doneCount = apply.err.components(separatedBy: "  created monitor").count - 1
        XCTAssertEqual(deployed.values.joined().filter { $0.hasPrefix("vigie:") }.count, doneCount, apply.err)
    }
}
