import Foundation
import VehicleData
import VigieTestSupport

/// Seeded, deterministic generator of replay files (`--events`, JSON Lines) for the
/// fuzz tests: valid `status`, `set` and `message` lines, mutated at the JSON-value
/// level (wrong types, unknown and missing keys, `at` going backwards, deep nesting)
/// and at the byte level (broken JSON, invalid UTF-8, NUL bytes, huge numbers,
/// enormous lines).
struct EventFuzzGenerator: SeededGenerating {
    var rng: SeededRandom
    var clock = 1_772_352_000   // 2026-03-01T08:00:00Z, seconds

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    static let vins = ["VR3UPHNKSKT101603", "VXKUHZKXZL4082811", "", "VIN\u{0}NUL", "ÉVIN"]
    static let monitorPaths = ["vehicle.energy.electric.level", "vehicle.energy.charging.status", "vehicle.energy.charging.plugged",
                               "vehicle.kinetic.speed", "vehicle.odometer", "environment.air.temp", "privacy.state", "vehicle.nope"]

    /// One replay file as bytes, with `lines` lines before mutation.
    mutating func file(lines: Int) -> [UInt8] {
        var out: [[UInt8]] = []
        for _ in 0..<lines {
            var value = line()
            if chance(0.35) { value = mutate(value, depth: 0) }
            var bytes = Array(Self.serialize(value).utf8)
            if chance(0.2) { bytes = mutateBytes(bytes) }
            out.append(bytes)
        }
        if chance(0.05) { out.insert(Array(String(repeating: "[", count: int(600...20_000)).utf8), at: int(0...out.count)) }
        if chance(0.01) { out.insert(enormousLine(), at: int(0...out.count)) }
        return Array(out.joined(separator: chance(0.1) ? [0x0D, 0x0A] : [0x0A]))
    }

    mutating func timestamp() -> JSONValue {
        clock += chance(0.05) ? -int(1...3_600) : int(0...600)
        let date = Date(timeIntervalSince1970: TimeInterval(clock))
        let f = ISO8601DateFormatter()
        return .string(chance(0.03) ? pick(["2026-02-30T25:61:00Z", "yesterday", "", "2026-03-01T08:00:00"]) : f.string(from: date))
    }

    mutating func line() -> JSONValue {
        var o: [String: JSONValue] = ["at": timestamp(), "vin": .string(pick(Self.vins))]
        switch int(0...2) {
        case 0: o["set"] = set()
        case 1: o["status"] = status()
        default: o["message"] = message()
        }
        return .object(o)
    }

    mutating func fieldValue(_ field: Field) -> JSONValue {
        switch field.type {
        case .number: return .number(Double(int(-50...300)) + (chance(0.3) ? 0.5 : 0))
        case .bool: return .bool(chance(0.5))
        case .enumeration(let m), .enumSet(let m):
            let member = JSONValue.string(chance(0.9) ? pick(m) : "NotAMember")
            if case .enumSet = field.type { return .array([member]) }
            return member
        case .point: return .object(["lat": .number(Double(int(-90...90))), "lon": .number(Double(int(-180...180)))])
        }
    }

    mutating func set() -> JSONValue {
        var o: [String: JSONValue] = [:]
        for _ in 0..<int(1...4) {
            let field = pick(Catalog.fields)
            o[field.alias] = chance(0.1) ? .null : fieldValue(field)
        }
        return .object(o)
    }

    mutating func status() -> JSONValue {
        let charging: JSONValue = .object(["plugged": .bool(chance(0.5)),
                                           "status": .string(pick(["InProgress", "Stopped", "Finished", "Failure", "Weird"]))])
        let electric: JSONValue = .object(["type": .string("Electric"), "level": .number(Double(int(0...100))),
                                           "autonomy": .number(Double(int(0...400))), "charging": charging])
        var o: [String: JSONValue] = [chance(0.5) ? "energies" : "energy": .array([electric])]
        o["kinetic"] = .object(["speed": .number(Double(int(0...180))), "moving": .bool(chance(0.5))])
        o["lastPosition"] = .object(["geometry": .object(["coordinates": .array([.number(2.33), .number(48.86), .number(35)])])])
        if chance(0.3) { o["doorsState"] = .object(["lockedStates": .array([.string(pick(["Locked", "Unlocked", "TrunkUnLocked"]))])]) }
        return .object(o)
    }

    mutating func message() -> JSONValue {
        if chance(0.2) { return .object(["type": .string("Remote"), "remoteEvent": .object(["remoteActionId": .string("r1")])]) }
        let values = (0..<int(1...3)).map { _ -> JSONValue in
            .object(["data": .string(pick(Self.monitorPaths)), "value": .string(pick(["18", "true", "InProgress", "x", "1e999"]))])
        }
        let m: JSONValue = .object(["type": .string("Monitor"), "monitorEvent": .object(["monitorId": .string("m1"), "values": .array(values)])])
        return chance(0.1) ? .array([m, m]) : m
    }

    /// A structure-aware mutation: a node replaced by a value of another kind, a key
    /// dropped, added or misspelt.
    mutating func mutate(_ value: JSONValue, depth: Int) -> JSONValue {
        if depth > 0, chance(0.3) { return randomValue(depth: 0) }
        switch value {
        case .object(var o):
            let keys = o.keys.sorted()
            switch int(0...3) {
            case 0 where !keys.isEmpty: o[pick(keys)] = nil
            case 1: o[pick(["unknown", "att", "sett", "Status", ""])] = randomValue(depth: 0)
            case 2 where !keys.isEmpty:
                let k = pick(keys)
                o[k] = mutate(o[k]!, depth: depth + 1)
            default:
                if let k = keys.first { o[k + "x"] = o[k] }
            }
            return .object(o)
        case .array(var a) where !a.isEmpty:
            let i = int(0...a.count - 1)
            a[i] = mutate(a[i], depth: depth + 1)
            return .array(a)
        default:
            return randomValue(depth: 0)
        }
    }

    mutating func randomValue(depth: Int) -> JSONValue {
        switch int(0...8) {
        case 0: return .null
        case 1: return .bool(chance(0.5))
        case 2: return .number(pick([0, -0.0, 1e308, -1e308, 4.9e-324, 9_007_199_254_740_993, 123.456]))
        case 3: return .string(pick(["", "InProgress", "é\u{301}", "\u{0}", String(repeating: "x", count: 300), "🚗"]))
        case 4, 5 where depth < 3: return .array((0..<int(0...3)).map { _ in randomValue(depth: depth + 1) })
        case 6, 7 where depth < 3: return .object(["k\(int(0...9))": randomValue(depth: depth + 1)])
        default: return .string("at")
        }
    }

    /// Byte-level damage: truncation, stray or invalid bytes, NUL, a huge number literal.
    mutating func mutateBytes(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        switch int(0...5) {
        case 0: b = Array(b.prefix(int(0...b.count)))
        case 1: b.insert(pick([0x00, 0xFF, 0xC3, 0xE2, 0x80, 0x22, 0x5C, 0x7B, 0x5D, 0x2C]), at: int(0...b.count))
        case 2 where !b.isEmpty: b[int(0...b.count - 1)] = UInt8(int(0...255))
        case 3: b += Array(",\"huge\": 1\(String(repeating: "0", count: int(300...5_000)))".utf8)
        case 4:
            if let colon = b.firstIndex(of: 0x3A) {
                b.insert(contentsOf: Array("-\(String(repeating: "9", count: 400)).5e99999".utf8), at: colon + 1)
            }
        default: b = b.reversed()
        }
        return b
    }

    /// A line of one or two megabytes: one huge string value, or garbage without a newline.
    mutating func enormousLine() -> [UInt8] {
        let size = int(1_000_000...2_000_000)
        if chance(0.5) {
            return Array("{\"at\": \"2026-03-01T08:00:00Z\", \"vin\": \"\(String(repeating: "V", count: size))\", \"set\": {}}".utf8)
        }
        return (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next() % 255) &+ (1 as UInt8) }.map { $0 == 0x0A ? 0x20 : $0 }
    }

    /// Compact JSON with sorted keys (numbers in Swift's shortest form).
    static func serialize(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        case .string(let s): return quote(s)
        case .array(let a): return "[" + a.map(serialize).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { quote($0) + ":" + serialize(o[$0]!) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
