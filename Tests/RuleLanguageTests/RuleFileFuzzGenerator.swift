import Foundation
import VehicleData
import VigieTestSupport

/// Seeded, structure-aware generator of rule files for the fuzz tests: a bundle is
/// built as a YAML tree from the rule format's grammar (conditions as token lists from
/// the expression grammar), mutated at the node level (keys dropped, doubled, misspelt;
/// values of the wrong kind; deep nesting; anchors, aliases and tags) and at the token
/// level inside `when:` and `notify:`, then written in block or flow style.
struct RuleFileFuzzGenerator: SeededGenerating {
    indirect enum Node {
        case scalar(String)
        /// A condition or template as tokens, joined by spaces when written.
        case tokens([String])
        case seq([Node])
        case map([(String, Node)])
    }

    var rng: SeededRandom
    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    static let zones = ["depot", "home"], schedules = ["off_peak", "night"]
    static let actions: [(String, Node)] = [
        ("charge", .scalar("start")), ("charge", .scalar("stop")), ("charge", .map([("at", .scalar("\"23:30\""))])),
        ("charge", .map([("level", .scalar("Level3")), ("type", .scalar("Partial"))])), ("precondition", .scalar("start")),
        ("precondition", .scalar("stop")), ("doors", .scalar("lock")), ("horn", .scalar("on")),
        ("lights", .scalar("on")), ("wake_up", .scalar("true")), ("navigate", .map([("to", .scalar("depot")), ("approval", .scalar("true"))])),
    ]
    static let vocabulary = ["and", "or", "not", "(", ")", "[", "]", ",", "in", "<", "<=", ">", ">=", "==", "!=", "=", "!",
                             "%", "km", "m", "km/h", "°C", "s", "h", "d", "-", "1e999", "-0", "0.000001", "99999999999999999999",
                             "InProgress", "Charging", "true", "false", "null", "inside(", "changed(", "within(", "has(", "\"", "'",
                             "{{", "}}", "{{vin}}", "{{battery.level}}", "\\", "é", "🚗", "#", ":", "&a", "*a", "|", ">-"]

    /// One rule file.
    mutating func file() -> String {
        var root = bundle()
        for _ in 0..<int(0...3) { root = mutate(root, depth: 0) }
        return write(root)
    }

    mutating func bundle() -> Node {
        var top: [(String, Node)] = [("vigie", .scalar("1")), ("bundle", .scalar(pick(["demo", "ev-charging", "fleet"])))]
        if chance(0.3) { top.append(("timezone", .scalar(pick(["Europe/Paris", "UTC"])))) }
        if chance(0.3) { top.append(("vehicles", chance(0.5) ? .scalar("all") : .seq([.map([("vin", .scalar("VIN1"))]), .map([("tag", .scalar("vans"))])]))) }
        do {
            top.append(("zones", .map(Self.zones.map { ($0, .map([("center", .map([("lat", .scalar("48.8")), ("lon", .scalar("2.3"))])),
                                                                ("radius", .scalar(pick(["2 km", "500 m"])))])) })))
        }
        do {
            top.append(("schedules", .map(Self.schedules.map { ($0, .map([("days", .seq([.scalar("Mon"), .scalar("Fri")])),
                                                                        ("from", .scalar("\"22:00\"")), ("to", .scalar("\"06:00\""))])) })))
        }
        if chance(0.2) { top.append(("allow", .seq([.scalar("doors.unlock")]))) }
        top.append(("rules", .seq((0..<int(1...4)).map { rule($0) })))
        return .map(top)
    }

    mutating func rule(_ i: Int) -> Node {
        var r: [(String, Node)] = [("id", .scalar("r\(i)")), ("when", .tokens(condition(depth: 0)))]
        if chance(0.3) { r.append(("for", .scalar(pick(["5m", "30s", "1h30m"])))) }
        if chance(0.2) { r.append(("during", .scalar(pick(Self.schedules)))) }
        var then: [Node] = (0..<int(1...3)).map { _ in
            let (k, v) = pick(Self.actions)
            return .map([(k, v)])
        }
        if chance(0.5) { then.append(.map([("notify", .tokens(["\"{{vin}}", "at", "{{battery.level}}", "%\""]))])) }
        r.append(("then", .seq(then)))
        if chance(0.3) { r.append(("cooldown", .scalar(pick(["1h", "10m"])))) }
        if chance(0.2) { r.append(("repeat", .scalar("15m"))) }
        if chance(0.2) { r.append(("max_per_day", .scalar(pick(["1", "3"])))) }
        if chance(0.1) { r.append(("mode", .scalar(pick(["single", "queued", "restart"])))) }
        if chance(0.1) { r.append(("enabled", .scalar("false"))) }
        if chance(0.2) { r.append(("allow", .seq([.scalar("feedback")]))) }
        return .map(r)
    }

    /// A condition from the expression grammar, as tokens.
    mutating func condition(depth: Int) -> [String] {
        var out = atom(depth: depth)
        while depth < 3, chance(0.4) { out += [pick(["and", "or"])] + atom(depth: depth + 1) }
        return out
    }

    mutating func atom(depth: Int) -> [String] {
        switch int(0...6) {
        case 0 where depth < 3: return ["not"] + atom(depth: depth + 1)
        case 1 where depth < 3: return ["("] + condition(depth: depth + 1) + [")"]
        case 2: return [pick(["inside(depot)", "entered(home)", "left(depot)", "within(night)", "changed(battery.level)", "has(alerts, OilLevelLow)"])]
        case 3: return [pick(["charging.plugged", "moving", "doors.locked", "alarm.active"])]
        case 4:
            return chance(0.5) ? ["charging.status", pick(["==", "!="]), pick(["InProgress", "Finished", "Failure"])]
                : ["charging.status", pick(["in", "not in"]), "[Stopped, Failure]"]
        default:
            let (field, value) = pick([("battery.level", "20 %"), ("fuel.level", "15"), ("speed", "130 km/h"),
                                       ("outside.temperature", "-5 °C"), ("autonomy", "40 km"), ("odometer", "120000"), ("battery.level", "19.5")])
            return [field, pick(["<", "<=", ">", ">=", "==", "!="]), value]
        }
    }

    // MARK: mutations

    mutating func mutate(_ node: Node, depth: Int) -> Node {
        switch node {
        case .map(var pairs) where !pairs.isEmpty:
            let i = int(0...pairs.count - 1)
            switch int(0...7) {
            case 0: pairs.remove(at: i)
            case 1: pairs.append(pairs[i])                                   // duplicate key
            case 2: pairs[i].0 = typo(pairs[i].0)
            case 3: pairs.append((pick(["x-extra", "cooldwon", "whne", "", "? complex"]), randomNode(depth: 0)))
            case 4: pairs[i].1 = randomNode(depth: 0)                        // wrong kind
            default: pairs[i].1 = mutate(pairs[i].1, depth: depth + 1)
            }
            return .map(pairs)
        case .seq(var items) where !items.isEmpty:
            let i = int(0...items.count - 1)
            switch int(0...4) {
            case 0: items.remove(at: i)
            case 1: items.append(items[i])
            case 2: items[i] = randomNode(depth: 0)
            default: items[i] = mutate(items[i], depth: depth + 1)
            }
            return .seq(items)
        case .tokens(var t):
            for _ in 0..<int(1...3) {
                let i = t.isEmpty ? 0 : int(0...t.count - 1)
                switch int(0...3) {
                case 0 where !t.isEmpty: t.remove(at: i)
                case 1 where !t.isEmpty: t.insert(t[i], at: i)
                case 2 where t.count > 1 && i + 1 < t.count: t.swapAt(i, i + 1)
                default: t.insert(pick(Self.vocabulary), at: min(i, t.count))
                }
            }
            return .tokens(t)
        default:
            return randomNode(depth: 0)
        }
    }

    mutating func typo(_ key: String) -> String {
        guard !key.isEmpty else { return "x" }
        var c = Array(key)
        c.remove(at: int(0...c.count - 1))
        return String(c) + (chance(0.3) ? "é" : "")
    }

    mutating func randomNode(depth: Int) -> Node {
        switch int(0...9) {
        case 0: return .scalar(pick(["", "~", "null", "true", "-1", "1e999", "0x1F", "\"\\u0000\"", "'it''s'", "!!binary aGk=", "!custom x",
                                     "0s", "-5m", "2.5", "Mars/Olympus", "2", "0 km", "unlock"]))
        case 1: return .scalar(String(repeating: "[", count: int(1...80)) + String(repeating: "]", count: int(0...80)))
        case 2: return .scalar("&a " + pick(["[1, 2]", "{k: v}", "x"]))
        case 3: return .scalar("*a")
        case 4 where depth < 4: return .seq((0..<int(0...3)).map { _ in randomNode(depth: depth + 1) })
        case 5 where depth < 4: return .map([("k\(int(0...3))", randomNode(depth: depth + 1))])
        case 6: return .tokens(condition(depth: 0))
        case 7: return .scalar(pick(["|\n  multi\n  line", ">-\n  folded", "\"unterminated", "'\u{7}bell'", "\t"]))
        default: return .scalar(pick(["start", "5m", "22:00", "\"22:00\"", "battery.level < 20", "99999999999999999999"]))
        }
    }

    // MARK: writing

    func write(_ root: Node) -> String {
        var out = ""
        block(root, indent: 0, into: &out)
        return out
    }

    func block(_ node: Node, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .map(let pairs):
            if pairs.isEmpty { out += pad + "{}\n" }
            for (k, v) in pairs {
                if case .map(let inner) = v, !inner.isEmpty, inner.count <= 2 {
                    out += pad + k + ": " + flow(v) + "\n"
                } else if case .map(let inner) = v, !inner.isEmpty {
                    out += pad + k + ":\n"
                    block(v, indent: indent + 2, into: &out)
                } else if case .seq(let items) = v, !items.isEmpty {
                    out += pad + k + ":\n"
                    block(v, indent: indent + 2, into: &out)
                } else {
                    out += pad + k + ": " + flow(v) + "\n"
                }
            }
        case .seq(let items):
            if items.isEmpty { out += pad + "[]\n" }
            for item in items { out += pad + "- " + flow(item) + "\n" }
        default:
            out += pad + flow(node) + "\n"
        }
    }

    func flow(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s
        case .tokens(let t): return t.joined(separator: " ")
        case .seq(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { $0.0 + ": " + flow($0.1) }.joined(separator: ", ") + "}"
        }
    }
}
