import Foundation
import MonitorCompiler
import RuleLanguage
import VehicleData
import VigieTestSupport

/// Random conditions and vehicle states over a mix of watchable and unwatchable fields,
/// integral and fractional numbers, enums, zones, schedules and events.
struct RandomRules {
    var rng: SeededRandom
    typealias B = BundleBuilder

    static let numbers: [(alias: String, range: ClosedRange<Double>)] = [
        ("battery.level", 0...100), ("fuel.level", 0...100), ("speed", 0...160),
        ("outside.temperature", -20...40), ("odometer", 0...2000), ("autonomy", 0...500),
    ]
    static let bools = ["charging.plugged", "moving", "doors.locked", "alarm.active"]
    static let enums: [(alias: String, members: [String])] = [
        ("charging.status", ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"]),
        ("privacy", ["None", "Geolocation", "Full"]),
        ("ignition", ["Stop", "StartUp", "Start"]),
    ]
    static let zones = [
        Zone(name: "depot", latitude: 48.8667, longitude: 2.3333, radiusMeters: 2000),
        Zone(name: "yard", latitude: 48.88, longitude: 2.35, radiusMeters: 1500),
        Zone(name: "spot", latitude: 48.86, longitude: 2.32, radiusMeters: 600),
    ]
    static let schedules = [
        BundleBuilder.offPeak,
        Schedule(name: "day", fromMinute: 8 * 60, toMinute: 18 * 60 + 30),
        Schedule(name: "weekend", days: [.sat, .sun], fromMinute: 0, toMinute: 0),
    ]

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func number(_ r: ClosedRange<Double>, fractional: Bool) -> Double {
        let x = Double.random(in: r, using: &rng)
        return fractional && Bool.random(using: &rng) ? (x * 2).rounded() / 2 : x.rounded()
    }

    mutating func literal() -> Condition {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0...3:
            let f = Self.numbers.randomElement(using: &rng)!
            let op = CompareOp.allCases.randomElement(using: &rng)!
            return B.cmp(f.alias, op, number(f.range, fractional: true))
        case 4, 5:
            return B.isTrue(Self.bools.randomElement(using: &rng)!)
        case 6, 7:
            let e = Self.enums.randomElement(using: &rng)!
            if Bool.random(using: &rng) {
                let m = e.members.randomElement(using: &rng)!
                return Bool.random(using: &rng) ? B.eq(e.alias, m) : B.ne(e.alias, m)
            }
            let some = e.members.filter { _ in Bool.random(using: &rng) }
            return .member(B.id(e.alias), some.map(Literal.member), negated: Bool.random(using: &rng))
        case 8:
            return .inside(Self.zones.randomElement(using: &rng)!)
        case 9:
            return .within(Self.schedules.randomElement(using: &rng)!)
        case 10:
            let z = Self.zones.randomElement(using: &rng)!
            return Bool.random(using: &rng) ? .entered(z) : .left(z)
        default:
            return .changed(B.id(["charging.status", "battery.level", "moving"].randomElement(using: &rng)!))
        }
    }

    mutating func condition(depth: Int = 3) -> Condition {
        if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 { return literal() }
        let n = Int.random(in: 2...3, using: &rng)
        let parts = (0..<n).map { _ in condition(depth: depth - 1) }
        switch Int.random(in: 0..<5, using: &rng) {
        case 0, 1: return .and(parts)
        case 2, 3: return .or(parts)
        default: return .not(parts[0])
        }
    }

    mutating func state(date: Date) -> OracleState {
        var s = OracleState(date: date)
        for f in Self.numbers where Int.random(in: 0..<7, using: &rng) > 0 {
            s.values[B.id(f.alias)] = .number(number(f.range, fractional: !Catalog[B.id(f.alias)].isIntegral))
        }
        for b in Self.bools where Int.random(in: 0..<7, using: &rng) > 0 {
            s.values[B.id(b)] = .bool(Bool.random(using: &rng))
        }
        for e in Self.enums where Int.random(in: 0..<7, using: &rng) > 0 {
            s.values[B.id(e.alias)] = .member(e.members.randomElement(using: &rng)!)
        }
        if Int.random(in: 0..<8, using: &rng) > 0 {
            let z = Self.zones.randomElement(using: &rng)!
            // Around a zone's boundary, where rounding matters.
            let km = Double.random(in: 0...(z.radiusMeters / 1000 + 2), using: &rng)
            let bearing = Double.random(in: 0..<(2 * .pi), using: &rng)
            s.latitude = z.latitude + km / 111.2 * cos(bearing)
            s.longitude = z.longitude + km / (111.2 * cos(z.latitude * .pi / 180)) * sin(bearing)
        }
        return s
    }

    /// A state close to `s`: some fields change, some become known or unknown.
    mutating func neighbour(of s: OracleState) -> OracleState {
        var n = state(date: s.date)
        for (k, v) in s.values where Int.random(in: 0..<3, using: &rng) > 0 { n.values[k] = v }
        if Bool.random(using: &rng) { n.latitude = s.latitude; n.longitude = s.longitude }
        return n
    }

    mutating func date() -> Date {
        Date(timeIntervalSince1970: 1_767_225_600 + Double.random(in: 0..<(14 * 86_400), using: &rng).rounded())
    }
}
