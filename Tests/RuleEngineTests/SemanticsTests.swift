import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

final class SemanticsTests: XCTestCase {
    func testKleeneLogic() {
        let u = Truth.unknown, t = Truth.true, f = Truth.false
        XCTAssertEqual(Truth.and(u, f), f)
        XCTAssertEqual(Truth.and(u, t), u)
        XCTAssertEqual(Truth.or(u, t), t)
        XCTAssertEqual(Truth.or(u, f), u)
        XCTAssertEqual(u.negated, u)
        // not (unknown) never fires; not (false) does.
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("speed", .number(0))]))
        s.add("2026-03-02T08:01:00Z", T.battery(90))
        let d = s.run([T.bundle([T.rule("n", .not(T.lt("battery.level", 20))),
                                 T.rule("a", .and([.not(T.lt("battery.level", 20)), T.isTrue("charging.plugged")])),
                                 T.rule("o", .or([.not(T.lt("battery.level", 20)), T.isTrue("charging.plugged")]))])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:01:00 V1 n fired", "2026-03-02 08:01:00 V1 o fired"])
    }

    func testEnumValueOutsideTheMembersEqualsNone() {
        let status = T.f("charging.status")
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("charging.status", .member("No"))]))
        let d = s.run([T.bundle([T.rule("ne", .compare(status, .ne, .member("InProgress"))),
                                 T.rule("eq", .compare(status, .eq, .member("InProgress"))),
                                 T.rule("in", .member(status, [.member("Failure")], negated: true))])])
        XCTAssertEqual(d.map(\.rule), ["ne", "in"])
    }

    func testZonesEnteredLeftInside() {
        let home = Zone(name: "home", latitude: 48.8566, longitude: 2.3522, radiusMeters: 1000)
        func at(_ lat: Double, _ lon: Double) -> Observation { T.obs([("position", .point(latitude: lat, longitude: lon))]) }
        var s = Script()
        s.add("2026-03-02T08:00:00Z", at(48.8566, 2.3522))   // first position: entered/left unknown, inside true
        s.add("2026-03-02T08:01:00Z", at(48.90, 2.3522))      // left
        s.add("2026-03-02T08:02:00Z", T.battery(50))          // no position: events false
        s.add("2026-03-02T08:03:00Z", at(48.8600, 2.3522))    // entered
        s.add("2026-03-02T08:04:00Z", at(48.8600, 2.3522))    // same position: nothing
        let d = s.run([T.bundle([T.rule("in", .inside(home)), T.rule("enter", .entered(home)), T.rule("leave", .left(home))])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 in fired", "2026-03-02 08:01:00 V1 leave fired",
                                        "2026-03-02 08:03:00 V1 in fired", "2026-03-02 08:03:00 V1 enter fired"])
    }

    func testZoneBoundaryIsInside() {
        let zone = Zone(name: "z", latitude: 0, longitude: 0, radiusMeters: 1000)
        let edge = 1000 / Geo.earthRadiusMeters * 180 / .pi   // exactly 1 km north along the meridian
        XCTAssertTrue(Geo.isInside(zone, latitude: edge * (1 - 1e-12), longitude: 0))
        XCTAssertFalse(Geo.isInside(zone, latitude: edge * 1.0001, longitude: 0))
        XCTAssertEqual(Geo.distanceMeters(lat1: 48.8566, lon1: 2.3522, lat2: 51.5074, lon2: -0.1278), 343_556.5, accuracy: 1)
    }

    func testChangedIsAnEventAndNotTrueOnFirstValue() {
        let status = T.f("charging.status")
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("charging.status", .member("InProgress"))]))  // first value: false
        s.add("2026-03-02T08:01:00Z", T.obs([("charging.status", .member("InProgress"))]))  // same: false
        s.add("2026-03-02T08:02:00Z", T.obs([("charging.status", .member("Finished"))]))    // changed: fire
        s.add("2026-03-02T08:03:00Z", T.obs([("charging.status", .member("Stopped"))]))     // changed again: fire
        s.add("2026-03-02T08:04:00Z", T.battery(10))                                        // not changed: false
        s.add("2026-03-02T08:05:00Z", T.obs([("charging.status", .member("Failure"))]))     // fire
        let d = s.run([T.bundle([T.rule("c", .changed(status))])])
        // 08:03 changes again right after 08:02: every event is a new occurrence, so it
        // fires too (the rule used to stay latched there).
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:02:00 V1 c fired", "2026-03-02 08:03:00 V1 c fired",
                                        "2026-03-02 08:05:00 V1 c fired"])
    }

    func testDuringWindowOpeningWhileConditionHolds() {
        let night = Schedule(name: "night", fromMinute: 22 * 60, toMinute: 6 * 60)
        let cond = Condition.and([T.lt("battery.level", 20), .within(night)])
        var s = Script()
        s.add("2026-01-10T19:00:00Z", T.battery(10))   // 20:00 Paris: outside the window
        s.add("2026-01-11T08:00:00Z", T.battery(11))
        // The window opens at 21:00Z (22:00 Paris): the boundary evaluates the rule and it fires
        // then; with for: 10m it fires at 21:10Z.
        let d = s.run([T.bundle(tz: "Europe/Paris", [T.rule("night", cond), T.rule("night-for", cond, for: 600)])])
        XCTAssertEqual(d.map(\.brief), ["2026-01-10 21:00:00 V1 night fired", "2026-01-10 21:10:00 V1 night-for fired"])
    }

    func testScheduleBoundaryReArmsAndWindowClosesAtTo() {
        let win = Schedule(name: "w", fromMinute: 8 * 60, toMinute: 9 * 60)
        var s = Script()
        s.add("2026-03-02T07:00:00Z", T.battery(10))
        s.add("2026-03-03T10:00:00Z", T.battery(10))
        let d = s.run([T.bundle([T.rule("w", .and([T.lt("battery.level", 20), .within(win)]), for: 3600)])])
        // Pending from 08:00 on 03-02, but the window closes at 09:00 (exclusive): the for-end
        // at 09:00 sees it closed. Same on 03-03.
        XCTAssertEqual(d, [])
    }

    func testRemoteBodiesAreExact() {
        let paris = ZoneClock(identifier: "Europe/Paris")!
        let t = T.at("2026-03-28T22:40:00Z")
        func text(_ c: RemoteCommand) -> String {
            let data = try! JSONEncoder.sorted.encode(RemoteBody.body(c, firedAt: t, clock: paris))
            return String(decoding: data, as: UTF8.self)
        }
        XCTAssertEqual(text(.chargeStart), #"{"charging":{"immediate":true}}"#)
        XCTAssertEqual(text(.chargeStop), #"{"charging":{"immediate":false}}"#)
        XCTAssertEqual(text(.chargeAt(hour: 2, minute: 30)), #"{"charging":{"schedule":{"nextDelayedTime":"2026-03-29T03:00:00+02:00"}}}"#)
        XCTAssertEqual(text(.chargeAt(hour: 23, minute: 30)), #"{"charging":{"schedule":{"nextDelayedTime":"2026-03-29T23:30:00+02:00"}}}"#)
        XCTAssertEqual(text(.chargePreferences(level: "Level3", type: "Partial")),
                       #"{"charging":{"preferences":{"level":"Level3","type":"Partial"}}}"#)
        XCTAssertEqual(text(.chargePreferences(level: nil, type: "Full")), #"{"charging":{"preferences":{"type":"Full"}}}"#)
        XCTAssertEqual(text(.preconditionStart), #"{"preconditioning":{"airConditioning":{"immediate":true}}}"#)
        XCTAssertEqual(text(.preconditionStop), #"{"preconditioning":{"airConditioning":{"immediate":false}}}"#)
        XCTAssertEqual(text(.doorsLock), #"{"door":{"state":"Locked"}}"#)
        XCTAssertEqual(text(.doorsUnlock), #"{"door":{"state":"Unlocked"}}"#)
        XCTAssertEqual(text(.hornOn), #"{"horn":{"state":"Activated"}}"#)
        XCTAssertEqual(text(.lightsOn), #"{"lights":{"on":true}}"#)
        XCTAssertEqual(text(.wakeUp), #"{"wakeUp":{"action":"WakeUp"}}"#)
        XCTAssertEqual(text(.navigate(latitude: 48.8667, longitude: 2.3333, driverApproval: false)),
                       #"{"navigation":{"driverApproval":false,"positions":[{"coordinates":[2.3333,48.8667],"type":"Point"}]}}"#)
    }

    func testNotifyRendering() {
        let template = Template(parts: [.vin, .text(": "), .field(T.f("battery.level")), .text("% "),
                                        .field(T.f("outside.temperature")), .text(" "), .field(T.f("charging.status")),
                                        .text(" "), .field(T.f("position")), .text(" "), .field(T.f("speed")),
                                        .text(" "), .field(T.f("charging.plugged")), .text(" "), .rule, .text("@"), .bundle],
                                source: "")
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("battery.level", .number(18)), ("outside.temperature", .number(19.5)),
                                             ("charging.status", .member("No")), ("charging.plugged", .bool(true)),
                                             ("position", .point(latitude: 48.8566, longitude: 2.0))]))
        let d = s.run([T.bundle(name: "ev", [T.rule("r", T.lt("battery.level", 20), actions: [.notify(template)])])])
        XCTAssertEqual(d.first?.actions, [.notify("V1: 18% 19.5 No 48.8566,2 unknown true r@ev")])
    }

    func testDecisionJSONShape() throws {
        let d = Decision(at: T.at("2026-03-02T08:00:00Z"), vin: "V1", bundle: "b", rule: "r", event: .suppressed,
                         reason: .maxPerDay, actions: [])
        let text = String(decoding: try JSONEncoder.sorted.encode(d.jsonValue), as: UTF8.self)
        XCTAssertEqual(text, #"{"actions":[],"at":"2026-03-02T08:00:00Z","bundle":"b","event":"suppressed","reason":"max_per_day","rule":"r","vin":"V1"}"#)
        let fired = Decision(at: 0, vin: "V", bundle: "b", rule: "r", event: .fired, actions: [.notify("x")])
        XCTAssertEqual(String(decoding: try JSONEncoder.sorted.encode(fired.jsonValue), as: UTF8.self),
                       #"{"actions":[{"notify":"x"}],"at":"1970-01-01T00:00:00Z","bundle":"b","event":"fired","reason":null,"rule":"r","vin":"V"}"#)
        XCTAssertEqual(try JSONDecoder().decode(Decision.self, from: JSONEncoder().encode(d)), d)
    }

    func testExplainShowsEachSubCondition() {
        let engine = RuleEngine(bundles: [T.bundle([T.rule("r", .and([T.lt("battery.level", 20), T.isTrue("charging.plugged")]))])])
        var seen: [Explanation] = []
        engine.explainRules = ["r"]
        engine.onExplain = { seen.append($0) }
        engine.observe(vin: "V1", at: 0, T.battery(10))
        XCTAssertEqual(seen.count, 1)
        XCTAssertEqual(seen[0].truth, .unknown)
        XCTAssertEqual(seen[0].lines.map(\.truth), [.unknown, .true, .unknown])
        XCTAssertTrue(seen[0].lines[1].text.hasPrefix("battery.level < 20"))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
