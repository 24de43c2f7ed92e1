import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisModels
import VehicleData
import XCTest

/// Property: whenever a rule's condition is definitely true, the boolExp of the monitor
/// serving it (evaluated with the API's trigger semantics by `TriggerEvaluator`) is true.
/// For onChange fallbacks (which watch changes, not states) the property is stated on
/// rises: the condition becoming true through a field change makes the monitor fire.
final class SoundnessPropertyTests: XCTestCase {
    static let oracle = ConditionOracle(timeZone: TimeZone(identifier: "Europe/Paris")!)

    func testRandomRulesAreSound() throws {
        var gen = RandomRules(seed: 20_261_127)
        var checkedTrue = 0
        for i in 0..<400 {
            let rule = BundleBuilder.rule("r\(i)", gen.condition())
            let bundle = BundleBuilder.bundle("prop", [rule], zones: RandomRules.zones, schedules: RandomRules.schedules)
            let compilation = MonitorCompiler.compile([bundle])
            checkedTrue += try Self.checkSound(compilation.vehicles[0], rules: [rule], gen: &gen, states: 60)
        }
        XCTAssertGreaterThan(checkedTrue, 1000, "the generator should often make conditions true")
    }

    /// Checks every rule of a vehicle against the monitor that serves it; returns how many
    /// (rule, state) pairs had a true condition.
    static func checkSound(_ v: VehicleCompilation, rules: [CheckedRule], gen: inout RandomRules, states: Int,
                           file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var trueCount = 0
        for (rule, placement) in zip(rules, v.placements) {
            // No monitor: polled (the engine decides from fresh status) or never true.
            guard let index = placement.monitorIndex else { continue }
            let monitor = v.monitors[index].monitor
            // A rule watched through onChange triggers (its own fallback, even inside a
            // shared monitor) relies on a change to rise: a condition already true at the
            // previous observation was evaluated there.
            let onChangeOnly = monitor.triggerParam.triggers.allSatisfy { $0.data?.op == .onChange }
                || placement.reason?.contains("onChange triggers on") == true
            for _ in 0..<states {
                let previous = gen.state(date: gen.date())
                let current = gen.neighbour(of: previous)
                let now = oracle.eval(rule.condition, current, previous: previous)
                guard now == .t else { continue }
                trueCount += 1
                if onChangeOnly, oracle.eval(rule.condition, previous, previous: nil) == .t { continue }
                let fired = try TriggerEvaluator.isSatisfied(monitor, in: current.snapshot(previous: previous))
                if !fired {
                    XCTFail("unsound: \(rule.id) \(rule.condition) true but \(monitor.triggerParam.boolExp) false "
                            + "in \(current) (previous \(previous))", file: file, line: line)
                    return trueCount
                }
            }
        }
        return trueCount
    }
}
