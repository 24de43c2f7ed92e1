import MonitorCompiler
import StellantisModels
@testable import VigieKit
import XCTest

/// The label diff on its own: unchanged, update in place, create, delete, duplicates,
/// vehicles no longer targeted, monitors Vigie does not own.
final class PlanDiffTests: XCTestCase {
    func body(_ rules: [String], value: Int) -> MonitorParameter {
        var body = MonitorParameter(label: "", triggerParam: TriggerParam(triggers: [MonitorTrigger(
            name: "d1", data: DataTrigger(data: "vehicle.energy.electric.level", op: .lowerThan, value: ["\(value)"]))], boolExp: "d1"))
        body.label = MonitorLabel.make(rules: rules, body: body)
        return body
    }

    func deployed(_ id: String, _ body: MonitorParameter) -> MonitorState {
        MonitorState(monitorId: id, monitor: body, status: .running, createdAt: "", updatedAt: "",
                     links: MonitorState.Links(self: MonitorLink(href: "/m/\(id)")))
    }

    func compiled(_ vin: String, _ body: MonitorParameter, _ rules: [String]) -> CompiledMonitor {
        CompiledMonitor(vin: vin, fleet: nil, rules: rules, monitor: body)
    }

    let callback = DeploymentPlan.CallbackStep(action: nil, id: "cb", label: "vigie",
                                               body: CallbackSubscribe(callback: CallbackTarget()))

    func testEachKindOfStep() {
        let a = DeploymentPlan.Scope.vehicle(vin: "A", id: "id-a")
        let gone = DeploymentPlan.Scope.vehicle(vin: "GONE", id: "id-g")
        let current = body(["ev/low"], value: 20), moved = body(["ev/warn"], value: 30)
        let foreign = MonitorParameter(label: "someone-else", triggerParam: current.triggerParam)
        let plan = Planner.diff(
            callback: callback,
            scopes: [(a, [compiled("A", current, ["ev/low"]), compiled("A", body(["ev/warn"], value: 35), ["ev/warn"]),
                          compiled("A", body(["ev/new"], value: 5), ["ev/new"])])],
            deployed: [a: [deployed("m1", current), deployed("m2", moved), deployed("m3", current), deployed("m4", foreign),
                           deployed("m5", body(["old/rule"], value: 1))],
                       gone: [deployed("m6", body(["ev/low"], value: 20)), deployed("m7", foreign)]],
            warnings: [])
        XCTAssertEqual(plan.unchanged, 1)
        XCTAssertEqual(plan.foreign, 2)
        let steps = plan.monitors.map { "\($0.action.rawValue) \($0.scope) \($0.monitorID ?? "-") \($0.rules.joined(separator: ","))" }
        XCTAssertEqual(steps, [
            "delete vehicle A m3 ev/low",        // a duplicate of a current monitor
            "delete vehicle A m5 old/rule",
            "delete vehicle GONE m6 ev/low",     // a vehicle no bundle selects any more
            "update vehicle A m2 ev/warn",
            "create vehicle A - ev/new",
        ])
        XCTAssertEqual(plan.count(.delete), 3)
        XCTAssertTrue(plan.warnings.isEmpty)
    }

    func testTooManyMonitorsOnAVehicleIsWarned() {
        let a = DeploymentPlan.Scope.vehicle(vin: "A", id: "id-a")
        let others = (1 ... 4).map { i in
            deployed("f\(i)", MonitorParameter(label: "other-\(i)", triggerParam: body([], value: i).triggerParam))
        }
        let plan = Planner.diff(callback: callback, scopes: [(a, [compiled("A", body(["x/a"], value: 1), ["x/a"]),
                                                                  compiled("A", body(["x/b"], value: 2), ["x/b"])])],
                                deployed: [a: others], warnings: [])
        XCTAssertEqual(plan.warnings.count, 1)
        XCTAssertTrue(plan.warnings[0].contains("4 monitor(s) not owned by Vigie plus 2 of Vigie's exceed the API's 5"))
    }

    func testLabelsWithManyRules() {
        let label = MonitorLabel.make(rules: ["b/r1", "b/r2", "b/r3", "b/r4", "b/r5"], body: body([], value: 1))
        XCTAssertEqual(Planner.rules(inLabel: label), ["b/r1", "b/r2", "b/r3"])
        XCTAssertEqual(Planner.identity(label), "vigie:b/r1,b/r2,b/r3+2")
        XCTAssertEqual(Planner.identity("handmade"), "handmade")
        XCTAssertFalse(Planner.isVigie("Vigie-like"))
    }
}
