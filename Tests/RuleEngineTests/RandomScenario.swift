import RuleEngine
import RuleLanguage
import VehicleData
import VigieTestSupport

/// A seeded generator of random bundles and event streams (SplitMix64: the same seed
/// gives the same scenario on every platform).
struct RandomScenario: SeededGenerating {
    var rng: SeededRandom
    let zones = [Zone(name: "home", latitude: 48.8566, longitude: 2.3522, radiusMeters: 1500),
                 Zone(name: "depot", latitude: 48.87, longitude: 2.33, radiusMeters: 800)]
    let schedules = [Schedule(name: "night", days: [.mon, .tue, .wed, .thu, .fri], fromMinute: 22 * 60, toMinute: 6 * 60),
                     Schedule(name: "noon", fromMinute: 11 * 60 + 30, toMinute: 13 * 60),
                     Schedule(name: "weekend", days: [.sat, .sun], fromMinute: 0, toMinute: 0)]

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    mutating func leaf() -> Condition {
        switch int(0...9) {
        case 0: return .compare(T.f("battery.level"), [.lt, .le, .gt, .ge, .eq, .ne][int(0...5)], .number(Double(int(0...10) * 10)))
        case 1: return .isTrue(T.f("charging.plugged"))
        case 2: return .compare(T.f("charging.status"), chance(0.5) ? .eq : .ne, .member(["InProgress", "Finished", "Failure"][int(0...2)]))
        case 3: return .member(T.f("charging.status"), [.member("Disconnected"), .member("Stopped")], negated: chance(0.5))
        case 4: return .compare(T.f("speed"), .gt, .number(Double(int(0...4) * 30)))
        case 5: return [.inside(zones[int(0...1)]), .entered(zones[int(0...1)]), .left(zones[int(0...1)])][int(0...2)]
        case 6: return .changed([T.f("charging.status"), T.f("battery.level"), T.f("moving")][int(0...2)])
        case 7: return .within(schedules[int(0...2)])
        case 8: return .compare(T.f("moving"), .eq, .bool(chance(0.5)))
        default: return .compare(T.f("outside.temperature"), .lt, .number(Double(int(-10...20))))
        }
    }

    mutating func condition(depth: Int = 0) -> Condition {
        if depth >= 2 || chance(0.35) { return leaf() }
        switch int(0...2) {
        case 0: return .and((0..<int(2...3)).map { _ in condition(depth: depth + 1) })
        case 1: return .or((0..<int(2...3)).map { _ in condition(depth: depth + 1) })
        default: return .not(condition(depth: depth + 1))
        }
    }

    mutating func bundles() -> [CheckedBundle] {
        (0..<int(1...2)).map { b in
            let rules = (0..<int(1...5)).map { i in
                T.rule("r\(i)", condition(), for: chance(0.4) ? Double(int(1...20) * 60) : nil,
                       repeat: chance(0.3) ? Double(int(5...60) * 60) : nil,
                       cooldown: chance(0.3) ? Double(int(1...120) * 60) : nil,
                       maxPerDay: chance(0.3) ? int(1...3) : nil,
                       actions: [.notify(Template(parts: [.vin, .text(" "), .field(T.f("battery.level"))], source: "")),
                                 .remote(.chargeAt(hour: 2, minute: 30))])
            }
            return T.bundle(name: "b\(b)", tz: ["UTC", "Europe/Paris", "America/New_York"][int(0...2)], rules)
        }
    }

    mutating func value(_ field: String) -> FieldValue {
        switch field {
        case "battery.level": return .number(Double(int(0...100)))
        case "charging.plugged", "moving": return .bool(chance(0.5))
        case "charging.status": return .member(["Disconnected", "InProgress", "Failure", "Stopped", "Finished", "No"][int(0...5)])
        case "speed": return .number(Double(int(0...130)))
        case "outside.temperature": return .number(Double(int(-15...30)) + 0.5)
        default:
            let near = chance(0.5)
            return .point(latitude: 48.8566 + (near ? 0.005 : 0.03) * Double(int(-3...3)),
                          longitude: 2.3522 + (near ? 0.005 : 0.03) * Double(int(-3...3)))
        }
    }

    /// Events over about four days around the March 2026 DST change, 1–3 vehicles.
    mutating func events(count: Int) -> [(at: Millis, vin: String, observation: Observation)] {
        let fields = ["battery.level", "charging.plugged", "charging.status", "speed", "moving", "outside.temperature", "position"]
        var t = T.at("2026-03-27T18:00:00Z")
        var out: [(at: Millis, vin: String, observation: Observation)] = []
        for _ in 0..<count {
            if !chance(0.2) { t += Millis(int(1...240)) * 60_000 }
            var o = Observation()
            for _ in 0..<int(0...3) {
                let name = fields[int(0...fields.count - 1)]
                o[T.f(name)] = value(name)
            }
            out.append((t, "V\(int(1...3))", o))
        }
        return out
    }

    /// Telemetry that drifts in small steps around the thresholds of `leaf()` (most changes
    /// flip no test), repeats values, and moves across the zone borders: the case where
    /// the engine skips most rules.
    mutating func driftingEvents(count: Int) -> [(at: Millis, vin: String, observation: Observation)] {
        var level = [50.0, 50.0, 50.0], kmh = [0.0, 0.0, 0.0], celsius = [0.5, 0.5, 0.5]
        var lat = [48.8566, 48.8566, 48.8566], lon = [2.3522, 2.3522, 2.3522]
        var plugged = [false, false, false], status = ["Disconnected", "Disconnected", "Disconnected"]
        var t = T.at("2026-03-27T18:00:00Z")
        var out: [(at: Millis, vin: String, observation: Observation)] = []
        for _ in 0..<count {
            if !chance(0.2) { t += Millis(int(1...30)) * 60_000 }
            let v = int(0...2)
            var o = Observation()
            for _ in 0..<int(1...3) {
                switch int(0...6) {
                case 0:
                    level[v] = max(0, min(100, level[v] + Double(int(-3...3))))
                    o[T.f("battery.level")] = .number(level[v])
                case 1:
                    kmh[v] = max(0, min(130, kmh[v] + Double(int(-12...12))))
                    o[T.f("speed")] = .number(kmh[v])
                    o[T.f("moving")] = .bool(kmh[v] > 0)
                case 2:
                    if chance(0.3) { plugged[v].toggle() }
                    o[T.f("charging.plugged")] = .bool(plugged[v])
                case 3:
                    if chance(0.4) { status[v] = ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"][int(0...4)] }
                    o[T.f("charging.status")] = .member(status[v])
                case 4:
                    celsius[v] += Double(int(-2...2))
                    o[T.f("outside.temperature")] = .number(celsius[v])
                case 5:
                    lat[v] += 0.004 * Double(int(-1...1))
                    lon[v] += 0.004 * Double(int(-1...1))
                    o[T.f("position")] = .point(latitude: lat[v], longitude: lon[v])
                default:
                    o[T.f("battery.level")] = .number(level[v])
                    o[T.f("speed")] = .number(kmh[v])
                }
            }
            out.append((t, "V\(v + 1)", o))
        }
        return out
    }
}
