import XCTest
import MonitorCompiler
import RuleLanguage
import StellantisModels
import VehicleData

/// Issue 19: the poll interval an age test needs (docs/compiling.md "Age tests") and the
/// three derived fields watched server-side with `onChange`.
final class AgeAndOnChangeCompileTests: XCTestCase {
    private typealias B = BundleBuilder

    private func compile(_ rules: [CheckedRule]) -> VehicleCompilation {
        MonitorCompiler.compile([CompileTarget(vin: "VIN1", bundles: [B.bundle("b", rules)])]).vehicles[0]
    }

    private func age(_ alias: String, _ op: CompareOp, _ seconds: Double) -> Condition {
        .age(B.id(alias), op, seconds: seconds)
    }

    func testAnOfflineAlertPollsAtAQuarterOfItsThresholdCappedAtAnHour() {
        let v = compile([B.rule("offline", age("odometer", .gt, 12 * 3600)),
                         B.rule("quiet", age("charging.status", .ge, 20 * 60))])
        XCTAssertEqual(v.placements.map(\.runs), [.polling, .polling],
                       "an onChange trigger would not refresh the data time of an unchanged value")
        XCTAssertEqual(v.placements.map(\.pollEvery), [3600, 300])
        XCTAssertEqual(v.pollEvery, 300)
        XCTAssertTrue(v.placements[0].reason?.contains("only tests ages") == true, "\(v.placements[0].reason ?? "")")
        XCTAssertTrue(v.monitors.isEmpty)
    }

    func testTheFloorIsOneMinuteAndForIsALocalTimer() {
        let v = compile([B.rule("r", age("speed", .gt, 120), for: 3600)])
        XCTAssertEqual(v.placements[0].pollEvery, 60)
    }

    func testAFreshnessGuardNeedsNoPollingButANegatedOneDoes() {
        let guarded = compile([B.rule("r", .and([age("battery.level", .le, 1800), B.cmp("battery.level", .lt, 20)]))])
        XCTAssertEqual(guarded.placements[0].runs, .prefilter)
        XCTAssertNil(guarded.placements[0].pollEvery, "it only turns false as data ages: the monitor's status suffices")
        XCTAssertNil(guarded.pollEvery)

        let negated = compile([B.rule("r", .and([.not(age("battery.level", .lt, 7200)), B.cmp("battery.level", .lt, 20)]))])
        XCTAssertEqual(negated.placements[0].runs, .prefilter)
        XCTAssertEqual(negated.placements[0].pollEvery, 1800, "not (age < 2h) is age >= 2h")
        let text = CompilationReport.text(MonitorCompiler.compile([CompileTarget(
            vin: "VIN1", bundles: [B.bundle("b", [B.rule("r", .and([.not(age("battery.level", .lt, 7200)),
                                                                    B.cmp("battery.level", .lt, 20)]))])])]))
        XCTAssertTrue(text.contains("status polled every 30 min to keep its ages' data times fresh"), text)
    }

    func testAgeWithAnUnwatchableValueKeepsTheUsualPollingWhenShorter() {
        let v = compile([B.rule("r", .and([age("position", .gt, 12 * 3600), B.eq("ignition", "Stop")]))])
        XCTAssertEqual(v.placements[0].runs, .polling)
        XCTAssertEqual(v.placements[0].pollEvery, 300)
    }

    func testDerivedFieldsAreWatchedWithOnChangeOnly() throws {
        for (alias, path) in [("doors.locked", "vehicle.doorsState.lockedState"),
                              ("alarm.active", "vehicle.alarm.status.activation")] {
            let v = compile([B.rule("r", B.isTrue(alias))])
            XCTAssertEqual(v.placements[0].runs, .prefilter, alias)
            let triggers = try XCTUnwrap(v.monitors.first, alias).monitor.triggerParam.triggers
            XCTAssertEqual(triggers.map { $0.data?.data }, [path], alias)
            XCTAssertEqual(triggers.map { $0.data?.op }, [.onChange], alias)
            XCTAssertNil(v.pollEvery, "\(alias) is no longer polled")
        }
        let v = compile([B.rule("r", .changed(B.id("preconditioning.status")))])
        XCTAssertEqual(v.monitors.first?.monitor.triggerParam.triggers.map { $0.data?.data },
                       ["vehicle.preconditioning.airConditioning"])
        XCTAssertNil(v.pollEvery)
    }
}
