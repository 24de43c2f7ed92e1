import XCTest
import VehicleData
@testable import RuleLanguage

/// The checked bundle the engine and the compiler consume.
final class CheckerTests: XCTestCase {
    let level = Catalog.field(named: "battery.level")!.id
    let autonomy = Catalog.field(named: "battery.autonomy")!.id
    let temp = Catalog.field(named: "outside.temperature")!.id
    let status = Catalog.field(named: "charging.status")!.id
    let plugged = Catalog.field(named: "charging.plugged")!.id

    func condition(_ when: String, top: String = "") -> Condition? {
        bundle(ruleFile(when: when, top: top))?.rules.first?.condition
    }

    func testDesignExampleChecks() {
        let text = """
            vigie: 1
            bundle: ev-charging
            description: Smart charging for the EV fleet
            timezone: Europe/Paris
            vehicles: all
            zones:
              depot: { center: { lat: 48.8667, lon: 2.3333 }, radius: 2 km }
            schedules:
              off_peak: { days: [Mon, Tue, Wed, Thu, Fri], from: "22:00", to: "06:00" }
            rules:
              - id: low-battery-charge
                description: Start charging when low and plugged in
                when: battery.level < 20 % and charging.plugged and charging.status != InProgress and inside(depot)
                for: 5m
                during: off_peak
                then:
                  - charge: start
                  - notify: "{{vin}}: battery at {{battery.level}} %, charging started"
                cooldown: 1h

            """
        guard let b = bundle(text) else { return XCTFail("no bundle") }
        XCTAssertEqual(b.name, "ev-charging")
        XCTAssertEqual(b.timeZone, "Europe/Paris")
        let zone = Zone(name: "depot", latitude: 48.8667, longitude: 2.3333, radiusMeters: 2000)
        XCTAssertEqual(b.zones, [zone])
        let offPeak = Schedule(name: "off_peak", days: [.mon, .tue, .wed, .thu, .fri], fromMinute: 1320, toMinute: 360)
        let rule = b.rules[0]
        XCTAssertEqual(rule.condition, .and([
            .and([.compare(level, .lt, .number(20)), .isTrue(plugged), .compare(status, .ne, .member("InProgress")), .inside(zone)]),
            .within(offPeak),
        ]))
        XCTAssertEqual(rule.during, [offPeak])
        XCTAssertEqual(rule.forSeconds, 300)
        XCTAssertEqual(rule.cooldownSeconds, 3600)
        XCTAssertEqual(rule.actions.first, .remote(.chargeStart))
        XCTAssertEqual(rule.actions.last, .notify(Template(parts: [.vin, .text(": battery at "), .field(level), .text(" %, charging started")],
                                                          source: "{{vin}}: battery at {{battery.level}} %, charging started")))
    }

    /// `age(field)` compared with a duration (SEMANTICS.md "Data time and age").
    func testAgeComparisons() {
        let position = Catalog.field(named: "position")!.id
        XCTAssertEqual(condition("age(position) > 12h"), .age(position, .gt, seconds: 43200))
        XCTAssertEqual(condition("30 m >= age(battery.level)"), .age(level, .le, seconds: 1800))
        XCTAssertEqual(condition("age(battery.level) <= 30m and battery.level < 20 %"),
                       .and([.age(level, .le, seconds: 1800), .compare(level, .lt, .number(20))]))
        func codes(_ when: String) -> [String] { diagnose(ruleFile(when: when)).map(\.code) }
        XCTAssertEqual(codes("age(position) > 12"), ["missing-unit"])
        XCTAssertEqual(codes("age(position) > 12 km"), ["unit-mismatch"])
        XCTAssertEqual(codes("age(position) > -1h"), ["out-of-range"])
        XCTAssertEqual(codes("age(position) == Finished"), ["type-mismatch"])
        XCTAssertEqual(codes("age(positon) > 1h"), ["unknown-field"])
        XCTAssertEqual(codes("age(position)"), ["type-mismatch"])
        XCTAssertEqual(codes("age(1) > 1h"), ["bad-arguments"])
    }

    /// `{{age(field)}}` in notify texts (SEMANTICS.md "Data time and age"); spaces allowed.
    func testAgeInTemplates() {
        let notify = { (text: String) in ruleFile(when: "moving", then: "    then: [notify: \"\(text)\"]\n") }
        let b = bundle(notify("{{ age( battery.level ) }} since {{age(position)}}"))
        XCTAssertEqual(b?.rules.first?.actions, [.notify(Template(parts: [.age(level), .text(" since "), .age(Catalog.field(named: "position")!.id)],
                                                                  source: "{{ age( battery.level ) }} since {{age(position)}}"))])
        let d = diagnose(notify("{{age(batery.level)}}"))
        XCTAssertEqual(d.map(\.code), ["unknown-template-name"])
        XCTAssertEqual(d.first?.message, "`{{age(batery.level)}}`: `batery.level` is not a field; `age` takes a field")
        XCTAssertEqual(d.first?.notes, ["did you mean `battery.level`?"])
        XCTAssertEqual(diagnose(notify("{{ages(battery.level)}}")).map(\.code), ["unknown-template-name"])
    }

    func testUnitsConvertToCanonicalUnits() {
        XCTAssertEqual(condition("battery.autonomy < 500 m"), .compare(autonomy, .lt, .number(0.5)))
        XCTAssertEqual(condition("battery.autonomy < 30"), .compare(autonomy, .lt, .number(30)))
        XCTAssertEqual(condition("outside.temperature < -5 °C"), .compare(temp, .lt, .number(-5)))
        XCTAssertEqual(condition("20 > battery.level"), .compare(level, .lt, .number(20)))
        XCTAssertEqual(located(ruleFile(when: "battery.autonomy < 5 %")), ["unit-mismatch@5:30-5:33"])
        XCTAssertEqual(located(ruleFile(when: "battery.level < -1")), ["out-of-range@5:27-5:29"])
    }

    func testMembershipBooleansAndFunctions() {
        XCTAssertEqual(condition("charging.status not in [Failure, Stopped]"),
                       .member(status, [.member("Failure"), .member("Stopped")], negated: true))
        XCTAssertEqual(condition("not charging.plugged or charging.plugged == false"),
                       .or([.not(.isTrue(plugged)), .compare(plugged, .eq, .bool(false))]))
        XCTAssertEqual(condition("changed(charging.status)"), .changed(status))
        let located = located(ruleFile(when: "charging.status == Charing"))
        XCTAssertEqual(located, ["unknown-member@5:30-5:37"])
        XCTAssertEqual(diagnose(ruleFile(when: "charging.status == Finshed"))[0].notes.first, "did you mean `Finished`?")
        XCTAssertEqual(locatedCodes(ruleFile(when: "charging.status < InProgress")), ["type-mismatch"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "battery.level < fuel.level")), ["type-mismatch"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "position == 3")), ["type-mismatch"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "battery.level < 20 miles")), ["expression-syntax"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "battery.level = 20")), ["expression-syntax"])
    }

    func testDuringListAndInlineSchedule() {
        let text = ruleFile(when: "moving", extra: "    during: [night, {days: [Sat, Sun], from: \"00:00\", to: \"24:00\"}]\n",
                            top: "schedules:\n  night: {from: \"22:00\", to: \"06:00\"}\n")
        let rule = bundle(text)?.rules.first
        let weekend = Schedule(name: "inline@8:21", days: [.sat, .sun], fromMinute: 0, toMinute: 1440)
        XCTAssertEqual(rule?.during.last, weekend)
        if case .and(let parts)? = rule?.condition, case .or(let any) = parts.last {
            XCTAssertEqual(any.count, 2)
        } else {
            XCTFail("during not folded: \(String(describing: rule?.condition))")
        }
    }

    func testActions() {
        let then = """
                then:
                  - charge: {at: "23:30"}
                  - charge: {level: Level3, type: Partial}
                  - precondition: stop
                  - wake_up: true
                  - navigate: {to: depot, approval: true}
                  - navigate: {to: {lat: 45.5, lon: -1.25}}

            """
        let top = "zones:\n  depot: {center: {lat: 48.8, lon: 2.3}, radius: 500 m}\n"
        let actions = bundle(ruleFile(when: "moving", top: top, then: then))?.rules.first?.actions
        XCTAssertEqual(actions, [
            .remote(.chargeAt(hour: 23, minute: 30)), .remote(.chargePreferences(level: "Level3", type: "Partial")),
            .remote(.preconditionStop), .remote(.wakeUp),
            .remote(.navigate(latitude: 48.8, longitude: 2.3, driverApproval: true)),
            .remote(.navigate(latitude: 45.5, longitude: -1.25, driverApproval: false)),
        ])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", then: "    then: [charge: {level: Level9}]\n")), ["bad-action"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", then: "    then: [chrage: start]\n")), ["bad-action"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", then: "    then: [charge: {at: \"25:00\"}]\n")), ["bad-time"])
    }

    /// Every `bad-time` message quotes the value received.
    func testBadTimeQuotesTheValueReceived() {
        func messages(_ text: String) -> [String] { diagnose(text).filter { $0.code == "bad-time" }.map(\.message) }
        XCTAssertEqual(messages(ruleFile(when: "moving", then: "    then: [charge: {at: \"25:00\"}]\n")),
                       ["`at` must be a time `HH:MM` from 00:00 to 23:59, got \"25:00\""])
        XCTAssertEqual(messages(ruleFile(when: "moving", then: "    then: [charge: {at: 2330}]\n")),
                       ["`at` must be a time `HH:MM` from 00:00 to 23:59, got 2330"])
        XCTAssertEqual(messages(ruleFile(when: "moving", then: "    then: [charge: {at: [1]}]\n")),
                       ["`at` must be a time `HH:MM` from 00:00 to 23:59, got a list"])
        let schedule = { (from: String, to: String) in
            ruleFile(when: "moving and within(s)", top: "schedules:\n  s: {from: \(from), to: \(to)}\n")
        }
        XCTAssertEqual(messages(schedule("\"25:00\"", "\"06:00\"")),
                       ["`from` must be a time `HH:MM` from 00:00 to 23:59, got \"25:00\""])
        XCTAssertEqual(messages(schedule("\"22:00\"", "24:01")),
                       ["`to` must be a time `HH:MM` from 00:00 to 24:00, got \"24:01\""])
        XCTAssertEqual(messages(schedule("\"22:00\"", "\"6\\\"00\"")),
                       ["`to` must be a time `HH:MM` from 00:00 to 24:00, got \"6\\\"00\""])
        XCTAssertEqual(messages(schedule("null", "\"06:00\"")),
                       ["`from` must be a time `HH:MM` from 00:00 to 23:59, got null"])
    }

    func testSensitiveActionOptIn() {
        let unlock = "    then: [doors: unlock]\n"
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", then: unlock)), ["sensitive-action"])
        let b = bundle(ruleFile(when: "moving", top: "allow: [doors.unlock]\n", then: unlock))
        XCTAssertEqual(b?.allowedSensitiveActions, ["doors.unlock"])
        XCTAssertEqual(b?.rules.first?.actions, [.remote(.doorsUnlock)])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", top: "allow: [doors.unlok]\n")), ["bad-value"])
    }

    func testDisabledRulesAreCheckedButLeftOut() {
        XCTAssertEqual(bundle(ruleFile(when: "moving", extra: "    enabled: false\n"))?.rules.count, 0)
        XCTAssertEqual(locatedCodes(ruleFile(when: "movin", extra: "    enabled: false\n")), ["unknown-field"])
    }

    func testDurationsAndLimits() {
        let rule = bundle(ruleFile(when: "moving", extra: "    for: 1h30m\n    repeat: 30s\n    max_per_day: 3\n    mode: queued\n"))?.rules.first
        XCTAssertEqual(rule?.forSeconds, 5400)
        XCTAssertEqual(rule?.repeatSeconds, 30)
        XCTAssertEqual(rule?.maxPerDay, 3)
        XCTAssertEqual(rule?.mode, .queued)
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", extra: "    for: 300\n")), ["missing-unit"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", extra: "    max_per_day: -1\n")), ["out-of-range"])
        XCTAssertEqual(locatedCodes(ruleFile(when: "moving", extra: "    max_per_day: 0\n")), ["never-fires"])
    }

    func testBundleNamesUniqueAcrossFiles() {
        let a = SourceFile(path: "a.yaml", text: ruleFile(when: "moving"))
        let b = SourceFile(path: "b.yaml", text: ruleFile(when: "moving"))
        let result = RuleValidator.validate([a, b])
        XCTAssertEqual(result.diagnostics.map { "\($0.range.file):\($0.code)" }, ["b.yaml:duplicate-bundle"])
        XCTAssertEqual(result.bundles.count, 1)
    }

    /// `manual` is where `vigie send` records commands sent by hand.
    func testBundleNamedManualIsRefused() {
        let text = ruleFile(when: "moving").replacingOccurrences(of: "bundle: t\n", with: "bundle: manual\n")
        let diagnostics = diagnose(text)
        XCTAssertEqual(diagnostics.map(\.code), ["bad-bundle-name"])
        XCTAssertEqual(diagnostics.first?.message, "bundle name `manual` is reserved for commands sent by hand (`vigie send`)")
        XCTAssertEqual(locatedCodes(text.replacingOccurrences(of: "bundle: manual", with: "bundle: manual-rules")), [])
    }

    func locatedCodes(_ text: String) -> [String] { diagnose(text).map(\.code) }
}
