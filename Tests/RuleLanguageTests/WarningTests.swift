import XCTest
@testable import RuleLanguage

/// Interval and set reasoning behind always-false, always-true, never-fires,
/// event-with-for and conflicting-rules.
final class WarningTests: XCTestCase {
    func codes(_ when: String, extra: String = "", top: String = "") -> [String] {
        diagnose(ruleFile(when: when, extra: extra, top: top)).map(\.code)
    }

    func testAlwaysFalse() {
        XCTAssertEqual(codes("battery.level < 20 and battery.level > 50"), ["always-false"])
        XCTAssertEqual(codes("battery.level > 100"), ["always-false"])
        XCTAssertEqual(codes("battery.level < 20 and battery.level >= 20"), ["always-false"])
        XCTAssertEqual(codes("charging.status == InProgress and charging.status == Finished"), ["always-false"])
        XCTAssertEqual(codes("charging.plugged and not charging.plugged"), ["always-false"])
        XCTAssertEqual(codes("battery.level in [10, 20] and battery.level > 30"), ["always-false"])
        XCTAssertEqual(codes("(battery.level < 10 or battery.level > 90) and battery.level == 50"), ["always-false"])
        XCTAssertEqual(codes("battery.level <= 20 and battery.level >= 20"), [])
        XCTAssertEqual(codes("battery.level < 20 and fuel.level > 50"), [])
    }

    func testAlwaysTrue() {
        XCTAssertEqual(codes("battery.level < 20 or battery.level >= 20"), ["always-true"])
        XCTAssertEqual(codes("battery.level >= 0"), ["always-true"])
        XCTAssertEqual(codes("moving or not moving"), ["always-true"])
        XCTAssertEqual(codes("charging.status == InProgress or charging.status != InProgress"), ["always-true"])
        // Values outside the documented members exist, so listing every member is not always true.
        XCTAssertEqual(codes("charging.status in [Disconnected, InProgress, Failure, Stopped, Finished]"), [])
        XCTAssertEqual(codes("true"), ["always-true"])
    }

    func testEventsAgainstZoneStates() {
        let top = "zones:\n  depot: {center: {lat: 48.8, lon: 2.3}, radius: 2 km}\n"
        XCTAssertEqual(codes("entered(depot) and left(depot)", top: top), ["always-false"])
        XCTAssertEqual(codes("entered(depot) and not inside(depot)", top: top), ["always-false"])
        XCTAssertEqual(codes("entered(depot) and inside(depot)", top: top), [])
    }

    func testEventWithFor() {
        let top = "zones:\n  depot: {center: {lat: 48.8, lon: 2.3}, radius: 2 km}\n"
        XCTAssertEqual(codes("entered(depot) or changed(ignition)", extra: "    for: 5m\n", top: top), ["event-with-for"])
        XCTAssertEqual(codes("entered(depot) or moving", extra: "    for: 5m\n", top: top), [])
    }

    func testNeverFiresWhenScheduleAndConditionDisagree() {
        let top = "schedules:\n  weekend: {days: [Sat, Sun], from: \"00:00\", to: \"24:00\"}\n"
            + "  weekdays: {days: [Mon, Tue, Wed, Thu, Fri], from: \"08:00\", to: \"18:00\"}\n"
        XCTAssertEqual(codes("moving and within(weekend)", extra: "    during: weekdays\n", top: top), ["never-fires"])
        XCTAssertEqual(codes("moving", extra: "    for: 2d\n    during: weekend\n", top: top.replacingOccurrences(of: "  weekdays", with: "  x-weekdays")), [])
        XCTAssertEqual(codes("moving", extra: "    for: 49h\n    during: weekend\n", top: top.replacingOccurrences(of: "  weekdays", with: "  x-weekdays")),
                       ["never-fires"])
    }

    func testConflictingRules() {
        func file(_ a: String, _ b: String, _ ca: String = "charge: start", _ cb: String = "charge: stop") -> [String] {
            diagnose("vigie: 1\nbundle: t\nrules:\n  - {id: a, when: \(a), then: [\(ca)]}\n  - {id: b, when: \(b), then: [\(cb)]}\n")
                .map(\.code)
        }
        XCTAssertEqual(file("battery.level < 50", "battery.level > 40"), ["conflicting-rules"])
        XCTAssertEqual(file("battery.level < 50", "battery.level > 80"), [])
        XCTAssertEqual(file("charging.plugged", "not charging.plugged"), [])
        XCTAssertEqual(file("moving", "ignition == Stop", "doors: lock", "precondition: stop"), [])
        XCTAssertEqual(file("moving", "ignition == Stop", "precondition: start", "precondition: stop"), ["conflicting-rules"])
    }

    func testConflictWarningsStayBoundedOnLargeBundles() {
        let rules = (0..<2_000).map { i in
            "  - {id: r\(i), when: battery.level < 50, then: [charge: \(i % 2 == 0 ? "start" : "stop")]}\n"
        }.joined()
        let d = diagnose("vigie: 1\nbundle: t\nrules:\n" + rules)
        XCTAssertEqual(Set(d.map(\.code)), ["conflicting-rules"])
        XCTAssertLessThanOrEqual(d.count, 1_000)
    }
}
