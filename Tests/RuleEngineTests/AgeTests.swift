import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// `age(field)` in conditions (SEMANTICS.md "Data time and age"): the evaluation instant
/// minus the data time of the field's value; unknown if never observed; the instant a
/// comparison changes is a timer (`>`: one millisecond after data time + d).
final class AgeTests: XCTestCase {
    let odometer = T.f("odometer"), level = T.f("battery.level")

    func age(_ f: String, _ op: CompareOp, _ seconds: Double) -> Condition { .age(T.f(f), op, seconds: seconds) }

    /// Runs both engines; returns the optimised engine's decisions (they must agree).
    func decide(_ s: Script, _ rules: [CheckedRule], until: String?, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let fast = s.run([T.bundle(rules)], until: until)
        let slow = s.run([T.bundle(rules)], until: until, options: .init(reference: true))
        XCTAssertEqual(fast, slow, "optimised and reference engines differ", file: file, line: line)
        return fast.map(\.brief)
    }

    func testOfflineAlertFiresTwelveHoursAfterTheLastDataEvenWithNothingElse() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("odometer", .number(100))]))
        let rules = [T.rule("gt", age("odometer", .gt, 12 * 3600)), T.rule("ge", age("odometer", .ge, 12 * 3600))]
        XCTAssertEqual(decide(s, rules, until: "2026-03-02T20:00:00Z"), ["2026-03-02 20:00:00 V1 ge fired"])
        let later = decide(s, rules, until: "2026-03-03T09:00:00Z")
        XCTAssertEqual(later, ["2026-03-02 20:00:00 V1 ge fired", "2026-03-02 20:00:00 V1 gt fired"])
        // `>` is true one millisecond after +12h.
        let engine = RuleEngine(bundles: [T.bundle([rules[0]])])
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:00:00Z"), T.obs([("odometer", .number(100))]))
        engine.advance(to: T.at("2026-03-02T20:00:00Z"))
        XCTAssertEqual(engine.takeDecisions(), [])
        engine.advance(to: T.at("2026-03-02T20:00:00.001Z"))
        XCTAssertEqual(engine.takeDecisions().map(\.at), [T.at("2026-03-02T20:00:00.001Z")])
    }

    func testNewDataResetsTheAgeAndReArms() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("odometer", .number(100))]))
        s.add("2026-03-02T10:00:00Z", T.obs([("odometer", .number(100))]))   // same value, new data: 12h from 10:00
        s.add("2026-03-03T00:00:00Z", T.obs([("odometer", .number(150))]))   // fired at 22:00; fresh again: re-arms
        let rule = T.rule("offline", age("odometer", .ge, 12 * 3600))
        XCTAssertEqual(decide(s, [rule], until: "2026-03-03T12:00:00Z"),
                       ["2026-03-02 22:00:00 V1 offline fired", "2026-03-03 12:00:00 V1 offline fired"])
    }

    /// The data time of the value counts, not the observation instant; an older data time
    /// than the previous one is taken as it is; a data time in the future is the instant.
    func testDataTimesDecideTheAge() {
        var s = Script()
        let t = T.at("2026-03-02T08:00:00Z")
        s.lines.append((t, "V1", Observation(values: [level: .number(50)], dataTimes: [level: t - 3 * 3_600_000])))
        s.lines.append((t + 60_000, "V1", Observation(values: [level: .number(10)], dataTimes: [level: t - 5 * 3_600_000])))
        s.lines.append((t + 120_000, "V2", Observation(values: [level: .number(10)], dataTimes: [level: t + 3_600_000])))
        let fresh = T.rule("fresh-low", .and([age("battery.level", .le, 30 * 60), T.lt("battery.level", 20)]))
        let stale = T.rule("stale", age("battery.level", .gt, 4 * 3600))
        XCTAssertEqual(decide(s, [fresh, stale], until: "2026-03-02T08:32:00Z"),
                       ["2026-03-02 08:01:00 V1 stale fired", "2026-03-02 08:02:00 V2 fresh-low fired"])
        // V2's value (dated at the instant, 08:02) is no longer fresh after 08:32: re-armed, no firing.
    }

    func testUnknownUntilObservedAndTimersAreOrderedWithBoundaries() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(50))
        let never = T.rule("never", .not(age("odometer", .lt, 60)))   // unknown: never fires
        XCTAssertEqual(decide(s, [never], until: "2026-03-03T08:00:00Z"), [])
        // An age threshold and a schedule boundary at the same instant run by rule order.
        let night = Schedule(name: "n", fromMinute: 9 * 60, toMinute: 10 * 60)
        let rules = [T.rule("w", .within(night)), T.rule("a", age("battery.level", .ge, 3600))]
        XCTAssertEqual(decide(s, rules.reversed(), until: "2026-03-02T09:30:00Z"),
                       ["2026-03-02 09:00:00 V1 a fired", "2026-03-02 09:00:00 V1 w fired"])
    }

    /// A replay cut anywhere and restored from a snapshot keeps its age timers.
    func testAgeTimersSurviveARestart() throws {
        let rule = T.rule("offline", age("odometer", .gt, 3600))
        let engine = RuleEngine(bundles: [T.bundle([rule])])
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:00:00Z"), T.obs([("odometer", .number(1))]))
        engine.advance(to: T.at("2026-03-02T08:30:00Z"))
        let data = try JSONEncoder().encode(engine.snapshot())
        let restored = RuleEngine(bundles: [T.bundle([rule])])
        XCTAssertEqual(restored.restore(try JSONDecoder().decode(EngineSnapshot.self, from: data)), [])
        restored.advance(to: T.at("2026-03-02T10:00:00Z"))
        XCTAssertEqual(restored.takeDecisions().map(\.at), [T.at("2026-03-02T09:00:00.001Z")])
    }
}
