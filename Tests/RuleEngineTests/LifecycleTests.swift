import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

final class LifecycleTests: XCTestCase {
    func testFiresOnRiseAndRearmsOnlyOnDefiniteFalse() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(30))
        s.add("2026-03-02T08:01:00Z", T.battery(15))   // rise: fire
        s.add("2026-03-02T08:02:00Z", T.battery(10))   // still true: nothing
        s.add("2026-03-02T08:03:00Z", T.battery(25))   // false: re-arm
        s.add("2026-03-02T08:04:00Z", T.battery(12))   // rise again: fire
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20))])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:01:00 V1 low fired", "2026-03-02 08:04:00 V1 low fired"])
    }

    func testUnknownDoesNotRearm() {
        // low and plugged: plugged goes unknown? It cannot return to unknown; use `or`
        // with an unknown side so the condition becomes unknown, not false.
        let cond = Condition.or([T.lt("battery.level", 20), T.isTrue("charging.plugged")])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))                 // true (or unknown) → fire
        s.add("2026-03-02T08:01:00Z", T.battery(50))                 // false or unknown = unknown: stays latched
        s.add("2026-03-02T08:02:00Z", T.battery(10))                 // true again: no second firing
        s.add("2026-03-02T08:03:00Z", T.obs([("charging.plugged", .bool(false)), ("battery.level", .number(50))]))
        s.add("2026-03-02T08:04:00Z", T.battery(10))                 // re-armed at 08:03: fire
        let d = s.run([T.bundle([T.rule("r", cond)])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 r fired", "2026-03-02 08:04:00 V1 r fired"])
    }

    func testForFiresAtExactEndAndInterruptionResets() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))   // pending since 08:00
        s.add("2026-03-02T08:03:00Z", T.battery(30))   // interrupted: armed
        s.add("2026-03-02T08:04:00Z", T.battery(10))   // pending since 08:04
        s.add("2026-03-02T08:20:00Z", T.battery(11))   // timer at 08:09 ran first
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), for: 300)])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:09:00 V1 low fired"])
    }

    func testForEndAtSameInstantAsObservationRunsFirst() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))
        s.add("2026-03-02T08:05:00Z", T.battery(30))   // the for timer (08:05) runs before this line
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), for: 300)])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:05:00 V1 low fired"])
    }

    func testUnknownDuringForResets() {
        let cond = Condition.or([T.lt("battery.level", 20), T.isTrue("charging.plugged")])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))   // true: pending
        s.add("2026-03-02T08:01:00Z", T.battery(50))   // unknown: back to armed
        s.add("2026-03-02T08:10:00Z", T.battery(50))
        let d = s.run([T.bundle([T.rule("r", cond, for: 300)])])
        XCTAssertEqual(d, [])
    }

    func testTimersAfterTheEndDoNotRunUnlessUntil() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))
        let b = [T.bundle([T.rule("low", T.lt("battery.level", 20), for: 300)])]
        XCTAssertEqual(s.run(b), [])
        XCTAssertEqual(s.run(b, until: "2026-03-02T08:04:59Z"), [])
        XCTAssertEqual(s.run(b, until: "2026-03-02T08:05:00Z").map(\.brief), ["2026-03-02 08:05:00 V1 low fired"])
    }

    func testRepeatFiresWhileTrueSkipsUnknownAndStopsOnRearm() {
        let cond = Condition.or([T.lt("battery.level", 20), T.isTrue("charging.plugged")])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))   // fire
        s.add("2026-03-02T08:15:00Z", T.battery(50))   // unknown: the 08:20 repeat is skipped
        s.add("2026-03-02T08:25:00Z", T.battery(10))   // true again: 08:30 repeat fires
        s.add("2026-03-02T08:35:00Z", T.obs([("charging.plugged", .bool(false)), ("battery.level", .number(50))]))
        s.add("2026-03-02T09:30:00Z", T.battery(50))   // re-armed at 08:35: no more repeats
        let d = s.run([T.bundle([T.rule("r", cond, repeat: 600)])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 r fired", "2026-03-02 08:10:00 V1 r fired",
                                        "2026-03-02 08:30:00 V1 r fired"])
    }

    func testCooldownSuppressesRisesButNotRepeats() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))   // fired
        s.add("2026-03-02T08:10:00Z", T.battery(30))   // re-arm
        s.add("2026-03-02T08:20:00Z", T.battery(10))   // rise within 1 h: suppressed, latched
        s.add("2026-03-02T08:30:00Z", T.battery(9))    // still latched: nothing
        s.add("2026-03-02T08:40:00Z", T.battery(30))
        s.add("2026-03-02T09:00:00Z", T.battery(10))   // exactly 1 h after 08:00: fires
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), cooldown: 3600)])])
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 low fired", "2026-03-02 08:20:00 V1 low suppressed(cooldown)",
                                        "2026-03-02 09:00:00 V1 low fired"])
        XCTAssertEqual(d[1].actions, [])

        var r = Script()
        r.add("2026-03-02T08:00:00Z", T.battery(10))
        let withRepeat = r.run([T.bundle([T.rule("low", T.lt("battery.level", 20), repeat: 600, cooldown: 3600)])],
                               until: "2026-03-02T08:20:00Z")
        XCTAssertEqual(withRepeat.map(\.brief), ["2026-03-02 08:00:00 V1 low fired", "2026-03-02 08:10:00 V1 low fired",
                                                 "2026-03-02 08:20:00 V1 low fired"])
    }

    func testRepeatAfterSuppressedRise() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))
        s.add("2026-03-02T08:01:00Z", T.battery(30))
        s.add("2026-03-02T08:02:00Z", T.battery(10))   // suppressed (cooldown); repeats follow it
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), repeat: 600, cooldown: 3600)])],
                      until: "2026-03-02T08:12:00Z")
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 low fired", "2026-03-02 08:02:00 V1 low suppressed(cooldown)",
                                        "2026-03-02 08:12:00 V1 low fired"])
    }

    func testMaxPerDayAcrossMidnightInBundleZone() {
        // Europe/Paris is UTC+1 in January: the local day changes at 23:00Z.
        var s = Script()
        for (i, time) in ["2026-01-10T20:00:00Z", "2026-01-10T21:00:00Z", "2026-01-10T22:00:00Z",
                          "2026-01-10T23:00:00Z"].enumerated() {
            s.add(time, T.battery(10))
            s.add(time.replacingOccurrences(of: ":00:00Z", with: ":30:00Z"), T.battery(50 + Double(i)))
        }
        let d = s.run([T.bundle(tz: "Europe/Paris", [T.rule("low", T.lt("battery.level", 20), cooldown: 60, maxPerDay: 2)])])
        XCTAssertEqual(d.map(\.brief), ["2026-01-10 20:00:00 V1 low fired", "2026-01-10 21:00:00 V1 low fired",
                                        "2026-01-10 22:00:00 V1 low suppressed(max_per_day)",
                                        "2026-01-10 23:00:00 V1 low fired"])
    }

    func testCooldownWinsOverMaxPerDay() {
        var s = Script()
        s.add("2026-01-10T10:00:00Z", T.battery(10))
        s.add("2026-01-10T10:01:00Z", T.battery(50))
        s.add("2026-01-10T10:02:00Z", T.battery(10))
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), cooldown: 3600, maxPerDay: 1)])])
        XCTAssertEqual(d.last?.reason, .cooldown)
    }

    func testMaxPerDayOnDSTDayCountsTheLocalDay() {
        // 2026-03-29 in Paris lasts 23 h: from 2026-03-28T23:00Z to 2026-03-29T22:00Z.
        var s = Script()
        s.add("2026-03-28T22:59:00Z", T.battery(10))   // local 03-28 23:59: fired (day 28)
        s.add("2026-03-28T22:59:30Z", T.battery(50))
        s.add("2026-03-28T23:00:00Z", T.battery(10))   // local 03-29 00:00: fired (day 29)
        s.add("2026-03-29T10:00:00Z", T.battery(50))
        s.add("2026-03-29T21:59:00Z", T.battery(10))   // local 03-29 23:59: suppressed
        s.add("2026-03-29T21:59:30Z", T.battery(50))
        s.add("2026-03-29T22:00:00Z", T.battery(10))   // local 03-30 00:00: fired
        let d = s.run([T.bundle(tz: "Europe/Paris", [T.rule("low", T.lt("battery.level", 20), maxPerDay: 1)])])
        XCTAssertEqual(d.map { $0.event.rawValue }, ["fired", "fired", "suppressed", "fired"])
    }

    func testRepeatsCountTowardsMaxPerDay() {
        var s = Script()
        s.add("2026-03-02T08:00:00Z", T.battery(10))
        let d = s.run([T.bundle([T.rule("low", T.lt("battery.level", 20), repeat: 600, maxPerDay: 2)])],
                      until: "2026-03-02T08:20:00Z")
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 low fired", "2026-03-02 08:10:00 V1 low fired",
                                        "2026-03-02 08:20:00 V1 low suppressed(max_per_day)"])
    }

    func testInterleavedVehiclesAndTimerTieOrder() {
        let b = T.bundle([T.rule("a", T.lt("battery.level", 20), for: 60),
                          T.rule("b", T.lt("battery.level", 30), repeat: 60)])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", "V2", T.battery(10))   // V2: a pending (→ 08:01), b fires (repeat 08:01)
        s.add("2026-03-02T08:00:00Z", "V1", T.battery(10))   // V1: same
        s.add("2026-03-02T08:01:30Z", "V1", T.battery(10))
        let d = s.run([b])
        // At 08:01: for ends first (rule order, then vehicles in order first seen), then repeats.
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V2 b fired", "2026-03-02 08:00:00 V1 b fired",
                                        "2026-03-02 08:01:00 V2 a fired", "2026-03-02 08:01:00 V1 a fired",
                                        "2026-03-02 08:01:00 V2 b fired", "2026-03-02 08:01:00 V1 b fired"])
    }

    func testVehicleSelectionByVinAndTag() {
        let inventory = Inventory(vehicles: [.init(vin: "V2", tags: ["fleet"])])
        let byTag = T.bundle(name: "tagged", vehicles: .selectors([.tag("fleet")]), [T.rule("t", T.lt("battery.level", 20))])
        let byVin = T.bundle(name: "vin", vehicles: .selectors([.vin("V1")]), [T.rule("v", T.lt("battery.level", 20))])
        var s = Script()
        s.add("2026-03-02T08:00:00Z", "V1", T.battery(10))
        s.add("2026-03-02T08:00:00Z", "V2", T.battery(10))
        XCTAssertEqual(s.run([byTag, byVin], inventory: inventory).map(\.brief),
                       ["2026-03-02 08:00:00 V1 v fired", "2026-03-02 08:00:00 V2 t fired"])
        XCTAssertEqual(s.run([byTag, byVin]).map(\.brief), ["2026-03-02 08:00:00 V1 v fired"])
    }

    func testModeSingleSuppressesWhileActionsRunQueuedFires() {
        let single = T.rule("s", T.lt("battery.level", 20))
        let queued = T.rule("q", T.lt("battery.level", 20), mode: .queued)
        let restart = T.rule("r", T.lt("battery.level", 20), mode: .restart)
        let engine = RuleEngine(bundles: [T.bundle([single, queued, restart])],
                                options: .init(actionsCompleteInstantly: false))
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:00:00Z"), T.battery(10))
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:01:00Z"), T.battery(50))
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:02:00Z"), T.battery(10))
        let d = engine.takeDecisions()
        XCTAssertEqual(d.map(\.brief), ["2026-03-02 08:00:00 V1 s fired", "2026-03-02 08:00:00 V1 q fired",
                                        "2026-03-02 08:00:00 V1 r fired", "2026-03-02 08:02:00 V1 s suppressed(running)",
                                        "2026-03-02 08:02:00 V1 q fired", "2026-03-02 08:02:00 V1 r fired"])
        XCTAssertEqual(d.map(\.cancelsRunning), [false, false, false, false, false, true])
        engine.actionsCompleted(vin: "V1", bundle: "b", rule: "s")
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:03:00Z"), T.battery(50))
        engine.observe(vin: "V1", at: T.at("2026-03-02T08:04:00Z"), T.battery(10))
        XCTAssertEqual(engine.takeDecisions().first?.brief, "2026-03-02 08:04:00 V1 s fired")
    }
}
