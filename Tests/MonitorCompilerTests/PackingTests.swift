import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisModels
import VehicleData
import XCTest

/// 1, 5, 6, 20 and 60 rules on one vehicle: never more than 5 monitors or 5 triggers
/// each, every monitor valid against the official schema, every rule still sound.
final class PackingTests: XCTestCase {
    typealias B = BundleBuilder

    /// Distinct single-trigger rules (a different battery threshold each).
    static func thresholdRules(_ n: Int) -> [CheckedRule] {
        (0..<n).map { B.rule("low-\($0)", B.cmp("battery.level", .lt, Double(10 + $0))) }
    }

    func compileOne(_ rules: [CheckedRule], bundles split: Int = 1) -> (VehicleCompilation, [CheckedRule]) {
        // Spread the rules over `split` bundles: packing counts all bundles together.
        let chunks = stride(from: 0, to: rules.count, by: max(1, (rules.count + split - 1) / split)).map {
            Array(rules[$0..<min(rules.count, $0 + max(1, (rules.count + split - 1) / split))])
        }
        let bundles = chunks.enumerated().map { i, rs in
            B.bundle("b\(i)", rs, zones: RandomRules.zones, schedules: RandomRules.schedules)
        }
        let c = MonitorCompiler.compile([CompileTarget(vin: "VIN1", bundles: bundles)])
        return (c.vehicles[0], chunks.flatMap { $0 })
    }

    func assertFits(_ v: VehicleCompilation, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertLessThanOrEqual(v.monitors.count, 5, file: file, line: line)
        for m in v.monitors {
            XCTAssertLessThanOrEqual(m.monitor.triggerParam.triggers.count, 5, file: file, line: line)
            XCTAssertEqual(try OfficialSchemas.violations(m.monitor, api: .b2c), [], file: file, line: line)
            let names = m.monitor.triggerParam.triggers.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "trigger names unique", file: file, line: line)
            XCTAssertEqual(m.vin, "VIN1", file: file, line: line)
        }
    }

    func testOneRuleOneExactMonitor() throws {
        let (v, _) = compileOne(Self.thresholdRules(1))
        try assertFits(v)
        XCTAssertEqual(v.monitors.count, 1)
        XCTAssertEqual(v.placements.map(\.runs), [.server])
        XCTAssertEqual(v.monitors[0].monitor.triggerParam.boolExp, "(d1)")
    }

    func testFiveRulesFiveExactMonitors() throws {
        let (v, _) = compileOne(Self.thresholdRules(5), bundles: 2)
        try assertFits(v)
        XCTAssertEqual(v.monitors.count, 5)
        XCTAssertEqual(Set(v.placements.map(\.runs)), [.server])
    }

    func testSixRulesShareByOring() throws {
        let (v, _) = compileOne(Self.thresholdRules(6), bundles: 3)
        try assertFits(v)
        XCTAssertEqual(v.monitors.count, 5)
        let shared = v.placements.filter { $0.runs == .prefilter }
        XCTAssertEqual(shared.count, 2, "one pair of rules pays by sharing a monitor")
        XCTAssertTrue(shared.allSatisfy { $0.reason?.contains("shares a monitor with") == true })
        XCTAssertEqual(v.placements.filter { $0.runs == .server }.count, 4)
    }

    func testIdenticalRulesAreDeployedOnce() throws {
        let rules = (0..<8).map { B.rule("same-\($0)", B.cmp("battery.level", .lt, 20)) }
        let (v, _) = compileOne(rules, bundles: 4)
        try assertFits(v)
        XCTAssertEqual(v.monitors.count, 1)
        XCTAssertEqual(v.monitors[0].rules.count, 8)
        XCTAssertEqual(Set(v.placements.map(\.runs)), [.server], "identical monitors stay exact")
    }

    func testTwentyAndSixtyRandomRulesFitAndStaySound() throws {
        for (n, seed) in [(20, UInt64(7)), (60, UInt64(11))] {
            var gen = RandomRules(seed: seed)
            let rules = (0..<n).map { B.rule("r\($0)", gen.condition(depth: 2)) }
            let (v, ordered) = compileOne(rules, bundles: 3)
            try assertFits(v)
            XCTAssertEqual(v.placements.count, n)
            let trueCount = try SoundnessPropertyTests.checkSound(v, rules: ordered, gen: &gen, states: 80)
            XCTAssertGreaterThan(trueCount, n)
            for p in v.placements where p.runs == .polling {
                XCTAssertNotNil(p.reason, "a polled rule says why")
                XCTAssertNotNil(p.pollEvery)
            }
        }
    }

    func testSixtyDistinctThresholdsOverflowToSharedPrefiltersOrPolling() throws {
        let rules = (0..<60).map { i in
            B.rule("r\(i)", .and([B.cmp(["battery.level", "fuel.level", "speed"][i % 3], .lt, Double(i)),
                                  B.isTrue(["charging.plugged", "moving"][i % 2])]))
        }
        let (v, ordered) = compileOne(rules, bundles: 2)
        try assertFits(v)
        XCTAssertFalse(v.placements.contains { $0.runs == .server }, "60 distinct rules cannot all be exact")
        var gen = RandomRules(seed: 3)
        _ = try SoundnessPropertyTests.checkSound(v, rules: ordered, gen: &gen, states: 40)
        let paying = v.placements.filter { $0.runs != .server }
        XCTAssertTrue(paying.allSatisfy { $0.reason != nil }, "every rule that pays says why")
    }
}
