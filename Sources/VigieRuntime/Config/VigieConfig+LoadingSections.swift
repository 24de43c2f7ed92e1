import Foundation
import RuleEngine
import Yams

extension VigieConfig {
    /// `listen: {host, port}` or `listen: "host:port"`.
    mutating func readListen(_ node: Node, _ r: inout ConfigReader) {
        if let text = node.scalar?.string {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (0 ... 65535).contains(port), colon != text.startIndex else {
                r.fail(node, "listen must be HOST:PORT (e.g. 0.0.0.0:8080) or {host, port}")
                return
            }
            listen = Listen(host: String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port)
            return
        }
        guard let map = r.mapping(node, "listen", allowed: ["host", "port"]) else { return }
        if let n = map["host"], let host = r.string(n, "listen.host") { listen.host = host }
        if let n = map["port"], let port = r.int(n, "listen.port") {
            if port <= 65535 { listen.port = port } else { r.fail(n, "listen.port must be at most 65535") }
        }
    }

    /// `vehicles: [{vin, id?, brand?, tags?}]`: the inventory and the known vehicle ids.
    mutating func readVehicles(_ node: Node, _ r: inout ConfigReader) {
        guard case .sequence(let items) = node else {
            r.fail(node, "vehicles must be a list of {vin, id, brand, tags, name}")
            return
        }
        var seen: [String: Int] = [:]
        var list: [Inventory.Vehicle] = []
        for (index, item) in items.enumerated() {
            let what = "vehicles[\(index)]"
            guard let map = r.mapping(item, what, allowed: ["vin", "id", "brand", "tags", "name"]) else { continue }
            guard let vinNode = r.required(map, "vin", in: what, at: item), let vin = r.string(vinNode, "\(what).vin") else { continue }
            if let first = seen[vin] {
                r.fail(vinNode, "duplicate VIN \(vin) (already vehicles[\(first)])")
                continue
            }
            seen[vin] = index
            var vehicle = Inventory.Vehicle(vin: vin)
            if let n = map["brand"], let text = r.string(n, "\(what).brand") {
                vehicle.brand = Self.brand(text, n, &r)?.rawValue
            }
            if let n = map["tags"], let tags = r.strings(n, "\(what).tags") { vehicle.tags = tags }
            // What `{{vehicle.name}}` prints in notify texts (else the VIN).
            if let n = map["name"], let name = r.string(n, "\(what).name") { vehicle.name = name }
            if let n = map["id"], let id = r.string(n, "\(what).id") { vehicleIDs[vin] = id }
            list.append(vehicle)
        }
        inventory = Inventory(vehicles: list)
    }

    mutating func readBudgets(_ node: Node, _ r: inout ConfigReader) {
        let keys = ["commands_per_day", "wake_ups_per_day", "wake_ups_per_month", "timezone"]
        guard let map = r.mapping(node, "budgets", allowed: keys) else { return }
        if let n = map["commands_per_day"], let v = r.int(n, "budgets.commands_per_day") { budgets.commandsPerDay = v }
        if let n = map["wake_ups_per_day"], let v = r.int(n, "budgets.wake_ups_per_day") { budgets.wakeUpsPerDay = v }
        if let n = map["wake_ups_per_month"], let v = r.int(n, "budgets.wake_ups_per_month") { budgets.wakeUpsPerMonth = v }
        if let n = map["timezone"], let name = r.string(n, "budgets.timezone") {
            // An IANA name, as a bundle's `timezone:` (abbreviations such as `CET` are refused).
            if TimeZone(identifier: name) != nil, name.contains("/") || name == "UTC" || name == "GMT" {
                budgets.timeZone = name
            } else {
                r.fail(n, "budgets.timezone: unknown time zone \"\(name)\" (an IANA name such as Europe/Paris or UTC)")
            }
        }
    }

    /// `budgets.wake_ups_per_month` counts the month's commands from the decisions table:
    /// `retention.decisions` must keep a whole calendar month of them (32 days).
    func checkMonthlyBudgetRetention(_ root: [String: Node], _ r: inout ConfigReader) {
        guard budgets.wakeUpsPerMonth != nil, let kept = retention.decisions, kept < 32 * 86_400,
              let node = root["retention"]?["decisions"] else { return }
        r.fail(node, "retention.decisions must be at least 32d with budgets.wake_ups_per_month "
            + "(the monthly wake-up count looks back a calendar month)")
    }

    mutating func readSafety(_ node: Node, _ r: inout ConfigReader) {
        let keys = ["paused", "flap_window", "flap_max_rises", "loop_window", "loop_max_firings"]
        guard let map = r.mapping(node, "safety", allowed: keys) else { return }
        if let n = map["paused"], let v = r.bool(n, "safety.paused") { safety.paused = v }
        if let n = map["flap_window"], let v = r.duration(n, "safety.flap_window") { safety.flapWindow = v }
        if let n = map["flap_max_rises"], let v = r.int(n, "safety.flap_max_rises", min: 1) { safety.flapMaxRises = v }
        if let n = map["loop_window"], let v = r.duration(n, "safety.loop_window") { safety.loopWindow = v }
        if let n = map["loop_max_firings"], let v = r.int(n, "safety.loop_max_firings", min: 1) { safety.loopMaxFirings = v }
    }
}
