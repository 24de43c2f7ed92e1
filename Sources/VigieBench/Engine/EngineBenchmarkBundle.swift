import RuleLanguage
import VehicleData

/// The engine benchmark's rules, built as a checked bundle (no YAML to load).
enum EngineBenchmarkBundle {
    /// 50 rules modelled on Rules/: thresholds with `for`, enums, `in`, zones, events,
    /// schedules, cooldown, repeat, max_per_day, notify templates and remotes.
    static func make(rules count: Int) -> CheckedBundle {
        func f(_ n: String) -> FieldID { Catalog.field(named: n)!.id }
        let depot = Zone(name: "depot", latitude: 48.8667, longitude: 2.3333, radiusMeters: 2000)
        let home = Zone(name: "home", latitude: 48.80, longitude: 2.25, radiusMeters: 500)
        let offPeak = Schedule(name: "off_peak", days: [.mon, .tue, .wed, .thu, .fri], fromMinute: 1320, toMinute: 360)
        let night = Schedule(name: "night", fromMinute: 1380, toMinute: 300)
        let range = SourceRange(file: "bench", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))
        let notify = Action.notify(Template(parts: [.vin, .text(": battery at "), .field(f("battery.level")), .text(" %")],
                                            source: "{{vin}}: battery at {{battery.level}} %"))
        let kinds: [(Condition, Double?, Double?, Double?, Int?, [Action])] = [
            (.and([.compare(f("battery.level"), .lt, .number(20)), .isTrue(f("charging.plugged")),
                   .compare(f("charging.status"), .ne, .member("InProgress")), .within(offPeak)]), 300, nil, 3600, nil,
             [.remote(.chargeStart), notify]),
            (.and([.compare(f("battery.level"), .lt, .number(10)), .isTrue(f("charging.plugged")),
                   .member(f("charging.status"), [.member("Disconnected"), .member("Stopped"), .member("Failure")], negated: false)]),
             120, nil, 1800, nil, [.remote(.chargeStart), notify]),
            (.and([.changed(f("charging.plugged")), .isTrue(f("charging.plugged")),
                   .compare(f("battery.level"), .ge, .number(20)), .not(.within(offPeak))]), nil, nil, nil, nil,
             [.remote(.chargeAt(hour: 22, minute: 30))]),
            (.and([.entered(depot), .compare(f("battery.level"), .gt, .number(60))]), nil, nil, nil, nil,
             [.remote(.chargePreferences(level: "Level2", type: "Partial"))]),
            (.and([.isTrue(f("charging.plugged")), .compare(f("charging.status"), .eq, .member("Failure"))]), 60, 900, nil, 4,
             [notify]),
            (.and([.compare(f("autonomy"), .lt, .number(40)), .isTrue(f("moving")), .not(.inside(depot))]), nil, nil, 1800, nil,
             [notify]),
            (.compare(f("speed"), .gt, .number(130)), 30, nil, 600, 3, [notify]),
            (.and([.not(.isTrue(f("moving"))), .compare(f("outside.temperature"), .gt, .number(28))]), 600, nil, nil, 2,
             [.remote(.preconditionStart)]),
            (.and([.left(home), .within(night)]), nil, nil, nil, nil, [.remote(.hornOn), notify]),
            (.and([.isTrue(f("moving")), .compare(f("speed"), .gt, .number(20)), .not(.inside(depot))]), nil, nil, 3600, nil,
             [notify]),
        ]
        var rules: [CheckedRule] = []
        for i in 0..<count {
            let k = kinds[i % kinds.count]
            // Vary thresholds so the rules are distinct.
            let shift = Double(i / kinds.count)
            let condition = shifted(k.0, by: shift)
            rules.append(CheckedRule(id: "rule-\(i)", condition: condition, forSeconds: k.1, repeatSeconds: k.2,
                                     cooldownSeconds: k.3, maxPerDay: k.4, actions: k.5, range: range))
        }
        return CheckedBundle(name: "bench", timeZone: "Europe/Paris", zones: [depot, home],
                             schedules: [offPeak, night], rules: rules, range: range)
    }

    private static func shifted(_ c: Condition, by d: Double) -> Condition {
        switch c {
        case .compare(let f, let op, .number(let n)): return .compare(f, op, .number(n + d))
        case .and(let cs): return .and(cs.map { shifted($0, by: d) })
        case .or(let cs): return .or(cs.map { shifted($0, by: d) })
        case .not(let inner): return .not(shifted(inner, by: d))
        default: return c
        }
    }
}
