import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// Builders for hand-made checked bundles and observations.
enum T {
    static let range = SourceRange(file: "test.yaml", start: .init(line: 1, column: 1), end: .init(line: 1, column: 1))

    static func f(_ name: String) -> FieldID { Catalog.field(named: name)!.id }

    static func at(_ text: String) -> Millis { RFC3339.parse(text)! }

    static func rule(_ id: String, _ condition: Condition, for forS: Double? = nil, repeat r: Double? = nil,
                     cooldown: Double? = nil, maxPerDay: Int? = nil, mode: RuleMode = .single,
                     actions: [Action] = [.remote(.chargeStart)]) -> CheckedRule {
        CheckedRule(id: id, condition: condition, forSeconds: forS, repeatSeconds: r, cooldownSeconds: cooldown,
                    maxPerDay: maxPerDay, mode: mode, actions: actions, range: range)
    }

    static func bundle(name: String = "b", tz: String = "UTC", vehicles: VehicleSelection = .all,
                       _ rules: [CheckedRule]) -> CheckedBundle {
        CheckedBundle(name: name, timeZone: tz, vehicles: vehicles, rules: rules, range: range)
    }

    static func lt(_ field: String, _ n: Double) -> Condition { .compare(f(field), .lt, .number(n)) }
    static func gt(_ field: String, _ n: Double) -> Condition { .compare(f(field), .gt, .number(n)) }
    static func isTrue(_ field: String) -> Condition { .isTrue(f(field)) }

    static func obs(_ pairs: [(String, FieldValue)]) -> Observation {
        var o = Observation()
        for (k, v) in pairs { o[f(k)] = v }
        return o
    }

    static func battery(_ n: Double) -> Observation { obs([("battery.level", .number(n))]) }

    /// Observes `events` one at a time, taking the decisions after each, then runs the
    /// timers through `until` (the property tests' and batch tests' driver).
    static func replay(_ bundles: [CheckedBundle], _ events: [(at: Millis, vin: String, observation: Observation)],
                       until: Millis, reference: Bool) -> [Decision] {
        let engine = RuleEngine(bundles: bundles, options: .init(reference: reference))
        var out: [Decision] = []
        for e in events {
            engine.observe(vin: e.vin, at: e.at, e.observation)
            out += engine.takeDecisions()
        }
        engine.advance(to: until)
        return out + engine.takeDecisions()
    }
}

/// A scripted replay: lines of (time, vin, observation), run through one engine.
struct Script {
    var lines: [(at: Millis, vin: String, observation: Observation)] = []

    mutating func add(_ at: String, _ o: Observation) {
        lines.append((T.at(at), "V1", o))
    }

    mutating func add(_ at: String, _ vin: String, _ o: Observation) {
        lines.append((T.at(at), vin, o))
    }

    func run(_ bundles: [CheckedBundle], until: String? = nil, options: RuleEngine.Options = .init(),
             inventory: Inventory? = nil) -> [Decision] {
        let engine = RuleEngine(bundles: bundles, inventory: inventory, options: options)
        var out: [Decision] = []
        for l in lines {
            engine.observe(vin: l.vin, at: l.at, l.observation)
            out += engine.takeDecisions()
        }
        if let until { engine.advance(to: T.at(until)) }
        return out + engine.takeDecisions()
    }
}

extension Decision {
    /// `HH:MM:SS vin rule event[reason]` for compact assertions.
    var brief: String {
        let time = RFC3339.formatUTC(at)
        let clock = time.split(separator: "T")[1].prefix(8)
        return "\(time.prefix(10)) \(clock) \(vin) \(rule) \(event.rawValue)" + (reason.map { "(\($0.rawValue))" } ?? "")
    }
}
