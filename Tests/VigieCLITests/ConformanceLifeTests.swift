import Foundation
import VigieTestSupport
import XCTest

/// SEMANTICS.md "Truth" and "The life of a rule, per vehicle", through `vigie dry-run`:
/// for, repeat, cooldown, max_per_day, unknowns, timer order, `--until`, schedules across
/// DST changes, zones and events. Expected decisions are worked out from the document.
final class ConformanceLifeTests: XCTestCase {
    typealias W = ConformanceWorkspace
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws { ws = try ConformanceWorkspace() }
    override func tearDown() { ws.remove() }

    /// One line per decision: "at rule event(reason) notify".
    func timeline(_ rules: String, _ events: [String], _ extra: [String] = []) throws -> [String] {
        try ws.decisions(rules: rules, events: events.joined(separator: "\n") + "\n", extra).map { line in
            let o = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let actions = (o["actions"] as? [[String: Any]] ?? []).compactMap { $0["notify"] as? String }
            let reason = (o["reason"] as? String).map { "(\($0))" } ?? ""
            return "\(o["at"] as? String ?? "?") \(o["rule"] as? String ?? "?") \(o["event"] as? String ?? "?")\(reason) \(actions.joined(separator: ","))"
        }
    }

    static let life = """
        vigie: 1
        bundle: life
        timezone: Europe/Paris
        rules:
          - id: f
            when: battery.level < 20
            for: 5m
            then: [{notify: "f {{battery.level}}"}]
          - id: rep
            when: battery.level < 20
            repeat: 10m
            then: [{notify: "rep {{battery.level}}"}]
          - id: cd
            when: battery.level < 20
            cooldown: 1h
            then: [{notify: "cd"}]
          - id: mx
            when: battery.level < 20
            max_per_day: 2
            then: [{notify: "mx"}]
        """

    func testForRepeatCooldownAndMaxPerDay() throws {
        let levels: [(String, String)] = [
            ("2026-01-01T10:00:00Z", "18"), ("2026-01-01T10:04:00Z", "21"), ("2026-01-01T10:06:00Z", "18"),
            ("2026-01-01T10:15:00Z", "null"), ("2026-01-01T10:16:00Z", "19"), ("2026-01-01T10:25:00Z", "25"),
            ("2026-01-01T10:30:00Z", "10"), ("2026-01-01T10:31:00Z", "30"),
            // 23:59 and 00:01 in Paris: two calendar days of the bundle's time zone.
            ("2026-01-01T22:59:00Z", "10"), ("2026-01-01T23:00:00Z", "30"), ("2026-01-01T23:01:00Z", "10"),
        ]
        let got = try timeline(Self.life, levels.map { W.set($0.0, "V1", #""battery.level": \#($0.1)"#) },
                               ["--until", "2026-01-01T23:20:00Z"])
        XCTAssertEqual(got, [
            "2026-01-01T10:00:00Z rep fired rep 18", "2026-01-01T10:00:00Z cd fired cd", "2026-01-01T10:00:00Z mx fired mx",
            "2026-01-01T10:06:00Z rep fired rep 18", "2026-01-01T10:06:00Z cd suppressed(cooldown) ",
            "2026-01-01T10:06:00Z mx fired mx",
            "2026-01-01T10:11:00Z f fired f 18",
            // The repeat instant 10:16 runs before the 10:16 line, with the value then (null kept 18).
            "2026-01-01T10:16:00Z rep fired rep 18",
            "2026-01-01T10:30:00Z rep fired rep 10", "2026-01-01T10:30:00Z cd suppressed(cooldown) ",
            "2026-01-01T10:30:00Z mx suppressed(max_per_day) ",
            "2026-01-01T22:59:00Z rep fired rep 10", "2026-01-01T22:59:00Z cd fired cd",
            "2026-01-01T22:59:00Z mx suppressed(max_per_day) ",
            "2026-01-01T23:01:00Z rep fired rep 10", "2026-01-01T23:01:00Z cd suppressed(cooldown) ",
            "2026-01-01T23:01:00Z mx fired mx",
            "2026-01-01T23:06:00Z f fired f 10",
            "2026-01-01T23:11:00Z rep fired rep 10",
        ])
    }

    /// Repeat instants follow a suppressed rise too and are exempt from cooldown; max_per_day counts
    /// repeats; a rise over both limits is suppressed for `cooldown`.
    func testRepeatAfterASuppressedRiseAndBothLimits() throws {
        let rules = """
            vigie: 1
            bundle: rc
            rules:
              - id: r
                when: battery.level < 20
                repeat: 10m
                cooldown: 1h
                max_per_day: 3
                then: [{notify: r}]
              - id: both
                when: battery.level < 20
                cooldown: 1h
                max_per_day: 1
                then: [{notify: both}]
            """
        let got = try timeline(rules, [
            W.set("2026-01-01T10:00:00Z", "V1", #""battery.level": 10"#),
            W.set("2026-01-01T10:01:00Z", "V1", #""battery.level": 50"#),
            W.set("2026-01-01T10:02:00Z", "V1", #""battery.level": 10"#),
        ], ["--until", "2026-01-01T10:45:00Z"])
        XCTAssertEqual(got, [
            "2026-01-01T10:00:00Z r fired r", "2026-01-01T10:00:00Z both fired both",
            "2026-01-01T10:02:00Z r suppressed(cooldown) ", "2026-01-01T10:02:00Z both suppressed(cooldown) ",
            "2026-01-01T10:12:00Z r fired r", "2026-01-01T10:22:00Z r fired r",
            "2026-01-01T10:32:00Z r suppressed(max_per_day) ", "2026-01-01T10:42:00Z r suppressed(max_per_day) ",
        ])
    }

    /// `vehicles:` selectors: vin selectors always, tag selectors through `--inventory` (YAML or JSON);
    /// without an inventory tag selectors match nothing, with a warning.
    func testVehicleSelectorsAndInventory() throws {
        let rules = """
            vigie: 1
            bundle: tg
            vehicles: [{tag: lyon}, {vin: V9}]
            rules:
              - id: r
                when: battery.level < 20
                then: [{notify: "{{vin}}"}]
            """
        let events = ["V1", "V2", "V9"].map { W.set("2026-01-01T10:00:00Z", $0, #""battery.level": 10"#) }
        try ws.write("inv.yaml", "vehicles:\n  - { vin: V1, tags: [lyon] }\n  - { vin: V2, tags: [paris] }\n")
        try ws.write("inv.json", #"{"vehicles": [{"vin": "V2", "tags": ["lyon"]}]}"#)
        XCTAssertEqual(try timeline(rules, events), ["2026-01-01T10:00:00Z r fired V9"])
        let warned = try ws.vigie(["dry-run", "rules.yaml", "--events", "events.jsonl"])
        XCTAssertTrue(warned.stderr.contains("warning"), warned.stderr)
        XCTAssertEqual(try timeline(rules, events, ["--inventory", "inv.yaml"]),
                       ["2026-01-01T10:00:00Z r fired V1", "2026-01-01T10:00:00Z r fired V9"])
        XCTAssertEqual(try timeline(rules, events, ["--inventory", "inv.json"]),
                       ["2026-01-01T10:00:00Z r fired V2", "2026-01-01T10:00:00Z r fired V9"])
    }

    /// Latched → unknown does not re-arm; Kleene logic (`true or unknown` is true, `false or unknown`
    /// unknown); `entered` is unknown at the first position.
    func testUnknownDoesNotReArmAndKleeneLogic() throws {
        let rules = """
            vigie: 1
            bundle: tri
            zones:
              home: { center: { lat: 48.0, lon: 2.0 }, radius: 1 km }
            rules:
              - id: low
                when: battery.level < 20 and not entered(home)
                then: [{notify: low}]
              - id: low-or
                when: battery.level < 20 or speed > 100
                then: [{notify: or}]
              - id: both
                when: battery.level < 20 and charging.plugged
                then: [{notify: both}]
              - id: slow
                when: not moving
                for: 10m
                then: [{notify: slow}]
            """
        let got = try timeline(rules, [
            W.set("2026-01-01T10:00:00Z", "V1", #""battery.level": 10"#),
            W.set("2026-01-01T10:01:00Z", "V1", #""charging.plugged": true, "moving": false"#),
            W.set("2026-01-01T10:02:00Z", "V1", #""position": {"lat": 48.0, "lon": 2.0}"#),  // low: unknown, stays latched
            W.set("2026-01-01T10:03:00Z", "V1", #""battery.level": 10"#),
            W.set("2026-01-01T10:12:00Z", "V1", #""battery.level": 50"#),  // low, both: false; low-or: unknown
            W.set("2026-01-01T10:13:00Z", "V1", #""battery.level": 10"#),
        ], ["--until", "2026-01-01T10:30:00Z"])
        XCTAssertEqual(got, [
            "2026-01-01T10:00:00Z low fired low", "2026-01-01T10:00:00Z low-or fired or",
            "2026-01-01T10:01:00Z both fired both",
            "2026-01-01T10:11:00Z slow fired slow",
            "2026-01-01T10:13:00Z low fired low", "2026-01-01T10:13:00Z both fired both",
        ])
    }

    /// Ties at one instant: `for` ends, then repeats, then schedule boundaries, then the observation.
    func testTimerOrderAtOneInstant() throws {
        let rules = """
            vigie: 1
            bundle: tie
            schedules:
              s: { from: "10:05", to: "11:00" }
            rules:
              - id: c
                when: battery.level < 20
                during: s
                then: [{notify: c}]
              - id: b
                when: battery.level < 20
                repeat: 5m
                then: [{notify: b}]
              - id: a2
                when: battery.level < 30
                for: 5m
                then: [{notify: a2}]
              - id: a
                when: battery.level < 20
                for: 5m
                then: [{notify: a}]
              - id: o
                when: battery.level < 20 and changed(speed)
                then: [{notify: o}]
            """
        let got = try timeline(rules, [W.set("2026-01-01T10:00:00Z", "V1", #""battery.level": 10, "speed": 1"#),
                                       W.set("2026-01-01T10:05:00Z", "V1", #""speed": 5"#)])
        XCTAssertEqual(got, ["2026-01-01T10:00:00Z b fired b", "2026-01-01T10:05:00Z a2 fired a2",
                             "2026-01-01T10:05:00Z a fired a", "2026-01-01T10:05:00Z b fired b",
                             "2026-01-01T10:05:00Z c fired c", "2026-01-01T10:05:00Z o fired o"])
    }

    /// A replay ends at its last line (timers after it do not run) or at `--until`; an earlier `--until` is a usage error.
    func testReplayEndAndUntil() throws {
        let events = [W.set("2026-01-01T10:00:00Z", "V1", #""battery.level": 10"#)]
        XCTAssertEqual(try timeline(Self.life, events), ["2026-01-01T10:00:00Z rep fired rep 10",
                                                         "2026-01-01T10:00:00Z cd fired cd", "2026-01-01T10:00:00Z mx fired mx"])
        XCTAssertEqual(try timeline(Self.life, events, ["--until", "2026-01-01T10:05:00Z"]).suffix(1),
                       ["2026-01-01T10:05:00Z f fired f 10"])
        let r = try ws.vigie(["dry-run", "rules.yaml", "--events", "events.jsonl", "--until", "2026-01-01T09:59:59Z"])
        XCTAssertEqual(r.exitCode, 64, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertFalse(r.stderr.isEmpty)
    }

    /// Windows `[from, to)` in the bundle's zone; wrapping windows belong to the day they open;
    /// `24:00` is midnight; `from` = `to` is the whole day; a time in a DST gap opens after the gap,
    /// a repeated one means its first occurrence.
    func testSchedulesAcrossDSTChanges() throws {
        let rules = """
            vigie: 1
            bundle: sched
            timezone: Europe/Paris
            schedules:
              night: { days: [Fri], from: "22:00", to: "06:00" }
              gap: { from: "02:30", to: "03:00" }
              allday: { days: [Sun], from: "00:00", to: "00:00" }
              late: { days: [Sat], from: "23:00", to: "24:00" }
            rules:
              - id: n
                when: battery.level < 20
                during: night
                then: [{notify: n}]
              - id: g
                when: battery.level < 20 and within(gap)
                then: [{notify: g}]
              - id: a
                when: battery.level < 20
                during: [allday, late]
                then: [{notify: a}]
            """
        // Spring: Friday 27 March 2026, 21:00 Paris. Saturday late and Sunday all day touch: one firing.
        XCTAssertEqual(try timeline(rules, [W.set("2026-03-27T20:00:00Z", "V1", #""battery.level": 10"#)],
                                    ["--until", "2026-03-30T00:00:00Z"]),
                       ["2026-03-27T21:00:00Z n fired n", "2026-03-28T01:30:00Z g fired g", "2026-03-28T22:00:00Z a fired a"])
        // Autumn: 02:30 on Sunday 25 October happens twice; the window opens at the first one (CEST).
        XCTAssertEqual(try timeline(rules, [W.set("2026-10-24T20:00:00Z", "V1", #""battery.level": 10"#)],
                                    ["--until", "2026-10-26T03:00:00Z"]),
                       ["2026-10-24T21:00:00Z a fired a", "2026-10-25T00:30:00Z g fired g", "2026-10-26T01:30:00Z g fired g"])
    }

    /// inside is a state (boundary inside, R = 6371.0088 km); entered/left are events, unknown on the first position.
    func testZonesAndEvents() throws {
        let rules = """
            vigie: 1
            bundle: zz
            zones:
              home: { center: { lat: 48.0, lon: 2.0 }, radius: 1 km }
            rules:
              - id: in
                when: inside(home)
                then: [{notify: "in {{position}}"}]
              - id: ent
                when: entered(home)
                then: [{notify: ent}]
              - id: lft
                when: left(home)
                then: [{notify: left}]
              - id: notent
                when: not entered(home)
                then: [{notify: notent}]
              - id: chg
                when: changed(battery.level)
                then: [{notify: "chg {{battery.level}}"}]
            """
        // 1 km along a meridian is 0.0089932° of latitude.
        let got = try timeline(rules, [
            W.set("2026-01-01T10:00:00Z", "V1", #""position": {"lat": 48.0, "lon": 2.0}, "battery.level": 50"#),
            W.set("2026-01-01T10:01:00Z", "V1", #""position": {"lat": 48.02, "lon": 2.0}, "battery.level": 50"#),
            W.set("2026-01-01T10:02:00Z", "V1", #""position": {"lat": 48.0089, "lon": 2.0}"#),
            W.set("2026-01-01T10:03:00Z", "V1", #""battery.level": 49"#),
            W.set("2026-01-01T10:04:00Z", "V1", #""position": {"lat": 48.0091, "lon": 2.0}, "battery.level": 48"#),
            W.status("2026-01-01T10:05:00Z", "V1", #"{"lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.0, 48.001, 100]}}}"#),
        ])
        XCTAssertEqual(got, [
            "2026-01-01T10:00:00Z in fired in 48,2",
            "2026-01-01T10:01:00Z lft fired left", "2026-01-01T10:01:00Z notent fired notent",
            "2026-01-01T10:02:00Z in fired in 48.0089,2", "2026-01-01T10:02:00Z ent fired ent",
            "2026-01-01T10:03:00Z notent fired notent", "2026-01-01T10:03:00Z chg fired chg 49",
            // Every event is a new occurrence: the change at 10:04, right after the one at
            // 10:03, fires again (it used to be swallowed by the latch).
            "2026-01-01T10:04:00Z lft fired left", "2026-01-01T10:04:00Z chg fired chg 48",
            "2026-01-01T10:05:00Z in fired in 48.001,2", "2026-01-01T10:05:00Z ent fired ent",
        ])
    }

    /// Every event is a new occurrence: `changed` fires at back-to-back changes, within
    /// cooldown; a rule latched by its state part does not fire again on events.
    func testEveryEventIsANewOccurrence() throws {
        let rules = """
            vigie: 1
            bundle: ev
            rules:
              - id: chg
                when: changed(charging.status)
                then: [{notify: "chg {{charging.status}}"}]
              - id: cool
                when: changed(charging.status)
                cooldown: 30m
                then: [{notify: cool}]
              - id: mixed
                when: battery.level < 20 or changed(charging.status)
                then: [{notify: "mixed {{battery.level}}"}]
            """
        let got = try timeline(rules, [
            W.set("2026-01-01T10:00:00Z", "V1", #""charging.status": "Disconnected", "battery.level": 50"#),
            W.set("2026-01-01T10:05:00Z", "V1", #""charging.status": "Stopped""#),
            W.set("2026-01-01T10:10:00Z", "V1", #""charging.status": "InProgress""#),
            W.set("2026-01-01T10:20:00Z", "V1", #""battery.level": 10"#),
            W.set("2026-01-01T10:40:00Z", "V1", #""charging.status": "Finished""#),
        ])
        XCTAssertEqual(got, [
            "2026-01-01T10:05:00Z chg fired chg Stopped", "2026-01-01T10:05:00Z cool fired cool",
            "2026-01-01T10:05:00Z mixed fired mixed 50",
            "2026-01-01T10:10:00Z chg fired chg InProgress", "2026-01-01T10:10:00Z cool suppressed(cooldown) ",
            "2026-01-01T10:10:00Z mixed fired mixed 50",
            "2026-01-01T10:20:00Z mixed fired mixed 10",
            // mixed is latched by the low battery: the change at 10:40 does not fire it again.
            "2026-01-01T10:40:00Z chg fired chg Finished", "2026-01-01T10:40:00Z cool fired cool",
        ])
    }

    /// `age(field)` through dry-run: a status payload's `updatedAt` is the data time, an
    /// age threshold is a timer (`>`: one millisecond after), `{{age(f)}}` renders it.
    func testAgeFromStatusDataTimes() throws {
        let rules = """
            vigie: 1
            bundle: sleepy
            rules:
              - id: offline
                when: age(odometer) > 12h
                then: [{notify: "silent {{age(odometer)}}"}]
              - id: fresh-low
                when: age(battery.level) <= 30m and battery.level < 20 %
                then: [{notify: "low {{age(battery.level)}}"}]
            """
        let got = try timeline(rules, [
            W.status("2026-03-02T08:00:00Z", "V1", #"{"updatedAt": "2026-03-02T07:00:00Z", "odometer": {"mileage": 10}, "energy": [{"type": "Electric", "level": 15, "updatedAt": "2026-03-02T07:50:00Z"}]}"#),
            W.status("2026-03-02T10:00:00Z", "V2", #"{"energy": [{"type": "Electric", "level": 15, "updatedAt": "2026-03-02T09:00:00Z"}]}"#),
        ], ["--until", "2026-03-02T20:00:00Z"])
        XCTAssertEqual(got, ["2026-03-02T08:00:00Z fresh-low fired low 10m",
                             "2026-03-02T19:00:00.001Z offline fired silent 12h00m"])
    }

    func testForOnAnEventConditionIsAWarning() throws {
        try ws.write("rules.yaml", """
            vigie: 1
            bundle: ev
            rules:
              - id: r
                when: changed(charging.status)
                for: 5m
                then: [{notify: x}]
            """)
        let r = try ws.vigie(["validate", "rules.yaml"])
        XCTAssertEqual(r.exitCode, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("warning[event-with-for]"), r.stdout)
        XCTAssertEqual(try ws.vigie(["validate", "--strict", "rules.yaml"]).exitCode, 1)
    }
}
