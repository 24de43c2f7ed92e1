import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// SEMANTICS.md "Truth": every event is a new occurrence. At an event-caused evaluation
/// (definitely true, but not with every event function false) a latched rule counts as
/// armed, and after an event-caused rise (fired or suppressed) the rule is armed again at
/// once. Each case runs on the optimised engine and on the reference.
final class EventOccurrenceTests: XCTestCase {
    let home = Zone(name: "home", latitude: 48.8566, longitude: 2.3522, radiusMeters: 1000)

    func status(_ s: String) -> Observation { T.obs([("charging.status", .member(s))]) }
    func position(_ lat: Double) -> Observation { T.obs([("position", .point(latitude: lat, longitude: 2.3522))]) }

    /// Runs `script` on both engines and checks they agree.
    func decide(_ s: Script, _ bundles: [CheckedBundle], until: String? = nil,
                file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let fast = s.run(bundles, until: until)
        let slow = s.run(bundles, until: until, options: .init(reference: true))
        XCTAssertEqual(fast, slow, "optimised and reference engines differ", file: file, line: line)
        return fast.map(\.brief)
    }

    func testBackToBackChangesFireEachTime() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", status("Disconnected"))   // first value: not a change
        s.add("2026-03-02T08:05:00Z", status("Stopped"))        // change: fire
        s.add("2026-03-02T08:10:00Z", status("InProgress"))     // change again, back to back: fire
        s.add("2026-03-02T08:15:00Z", status("InProgress"))     // same value: nothing
        s.add("2026-03-02T08:20:00Z", status("Finished"))       // fire
        XCTAssertEqual(decide(s, [T.bundle([T.rule("c", .changed(T.f("charging.status")))])]),
                       ["2026-03-02 08:05:00 V1 c fired", "2026-03-02 08:10:00 V1 c fired",
                        "2026-03-02 08:20:00 V1 c fired"])
    }

    func testBackToBackCrossingsFireEachTime() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", position(48.8566))   // first position: events unknown
        s.add("2026-03-02T08:01:00Z", position(48.90))     // left
        s.add("2026-03-02T08:02:00Z", position(48.8600))   // entered
        s.add("2026-03-02T08:03:00Z", position(48.91))     // left
        s.add("2026-03-02T08:04:00Z", position(48.8570))   // entered
        s.add("2026-03-02T08:05:00Z", position(48.8580))   // inside, no crossing
        let d = decide(s, [T.bundle([T.rule("enter", .entered(home)), T.rule("leave", .left(home)),
                                     T.rule("cross", .or([.entered(home), .left(home)]))])])
        XCTAssertEqual(d, ["2026-03-02 08:01:00 V1 leave fired", "2026-03-02 08:01:00 V1 cross fired",
                           "2026-03-02 08:02:00 V1 enter fired", "2026-03-02 08:02:00 V1 cross fired",
                           "2026-03-02 08:03:00 V1 leave fired", "2026-03-02 08:03:00 V1 cross fired",
                           "2026-03-02 08:04:00 V1 enter fired", "2026-03-02 08:04:00 V1 cross fired"])
    }

    func testChangedWithCooldownAndMaxPerDay() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", status("Disconnected"))
        s.add("2026-03-02T08:05:00Z", status("Stopped"))      // fired
        s.add("2026-03-02T08:10:00Z", status("InProgress"))   // 5 min after the firing: suppressed (cooldown)
        s.add("2026-03-02T08:20:00Z", status("Finished"))     // still within 30 min of 08:05: suppressed
        s.add("2026-03-02T08:40:00Z", status("Stopped"))      // 35 min: fired
        s.add("2026-03-02T09:20:00Z", status("InProgress"))   // cooldown over, but max_per_day 2: suppressed
        s.add("2026-03-03T08:00:00Z", status("Finished"))     // a new day: fired
        let rule = T.rule("c", .changed(T.f("charging.status")), cooldown: 1800, maxPerDay: 2)
        XCTAssertEqual(decide(s, [T.bundle([rule])]),
                       ["2026-03-02 08:05:00 V1 c fired", "2026-03-02 08:10:00 V1 c suppressed(cooldown)",
                        "2026-03-02 08:20:00 V1 c suppressed(cooldown)", "2026-03-02 08:40:00 V1 c fired",
                        "2026-03-02 09:20:00 V1 c suppressed(max_per_day)", "2026-03-03 08:00:00 V1 c fired"])
    }

    /// A rule latched by a condition that holds without any event does not fire again on
    /// events; once that part no longer holds, an event is a new occurrence again.
    func testLatchedByStateDoesNotFireAgainOnEvents() {
        let cond = Condition.or([T.lt("battery.level", 20), .changed(T.f("charging.plugged"))])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("battery.level", .number(50)), ("charging.plugged", .bool(false))]))
        s.add("2026-03-02T08:05:00Z", T.battery(10))                               // state rise: fired, latched
        s.add("2026-03-02T08:10:00Z", T.obs([("charging.plugged", .bool(true))]))  // event, but level still low: nothing
        s.add("2026-03-02T08:15:00Z", T.obs([("charging.plugged", .bool(false)),
                                             ("battery.level", .number(60))]))     // event-caused: fired
        s.add("2026-03-02T08:20:00Z", T.obs([("charging.plugged", .bool(true))]))  // event-caused again: fired
        s.add("2026-03-02T08:25:00Z", T.battery(15))                               // armed after the event: state rise
        XCTAssertEqual(decide(s, [T.bundle([T.rule("r", cond)])]),
                       ["2026-03-02 08:05:00 V1 r fired", "2026-03-02 08:15:00 V1 r fired",
                        "2026-03-02 08:20:00 V1 r fired", "2026-03-02 08:25:00 V1 r fired"])
    }

    /// After an event-caused rise the rule is armed again at once, so its repeat instants
    /// stop there (SEMANTICS.md: "the instants stop when the rule re-arms"); a rise the
    /// state causes starts them as before, and an event-caused re-rise ends them.
    func testRepeatStopsWhenAnEventRearmsTheRule() {
        let cond = Condition.or([T.lt("battery.level", 20), .changed(T.f("charging.status"))])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.obs([("battery.level", .number(50)), ("charging.status", .member("Stopped"))]))
        s.add("2026-03-02T08:01:00Z", status("InProgress"))   // event-caused: fired, armed at once (no repeats)
        s.add("2026-03-02T08:30:00Z", T.battery(10))          // state rise: fired, latched; repeats 08:40, 08:50
        s.add("2026-03-02T08:55:00Z", T.obs([("battery.level", .number(60)), ("charging.status", .member("Finished"))]))
        // 08:55: event-caused (the level is fine): fired, armed at once; the 09:00 repeat does not come.
        s.add("2026-03-02T09:30:00Z", T.battery(60))
        XCTAssertEqual(decide(s, [T.bundle([T.rule("r", cond, repeat: 600)])]),
                       ["2026-03-02 08:01:00 V1 r fired", "2026-03-02 08:30:00 V1 r fired",
                        "2026-03-02 08:40:00 V1 r fired", "2026-03-02 08:50:00 V1 r fired",
                        "2026-03-02 08:55:00 V1 r fired"])
    }

    /// A suppressed event-caused rise re-arms too: the next event is a new occurrence.
    func testSuppressedEventRiseRearms() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", status("Disconnected"))
        s.add("2026-03-02T08:01:00Z", status("Stopped"))      // fired (its actions keep running)
        s.add("2026-03-02T08:02:00Z", status("InProgress"))   // mode single, still running: suppressed
        s.add("2026-03-02T08:03:00Z", status("Finished"))     // suppressed again, not ignored
        let d = s.run([T.bundle([T.rule("c", .changed(T.f("charging.status")))])],
                      options: .init(actionsCompleteInstantly: false))
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:01:00 V1 c fired", "2026-03-02 08:02:00 V1 c suppressed(running)",
                                        "2026-03-02 08:03:00 V1 c suppressed(running)"])
    }

    /// `for` on an event condition never holds (events are false at the end of `for`): an
    /// event-caused evaluation of a latched rule starts a `for` that the next evaluation
    /// without the event ends.
    func testForWithAnEventNeverHolds() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", status("Disconnected"))
        s.add("2026-03-02T08:01:00Z", status("Stopped"))
        s.add("2026-03-02T08:02:00Z", status("InProgress"))
        let d = decide(s, [T.bundle([T.rule("c", .changed(T.f("charging.status")), for: 300)])],
                       until: "2026-03-02T09:00:00Z")
        XCTAssertEqual(d, [])
        // With a state part that holds at the end of `for`: the rule latched by its state
        // is not event-caused at the change, so nothing more fires.
        let cond = Condition.or([T.lt("battery.level", 20), .changed(T.f("charging.status"))])
        var t = Script()
        t.add("2026-03-02T08:00:00Z", T.obs([("battery.level", .number(10)), ("charging.status", .member("Stopped"))]))
        t.add("2026-03-02T08:10:00Z", status("InProgress"))
        XCTAssertEqual(decide(t, [T.bundle([T.rule("r", cond, for: 300)])], until: "2026-03-02T09:00:00Z"),
                       ["2026-03-02 08:05:00 V1 r fired"])
    }
}
