import StellantisModels

/// One monitor to deploy: for a vehicle (B2C) or a fleet (B2B), the rules it serves
/// (`bundle/rule`) and its body exactly as POSTed.
public struct CompiledMonitor: Sendable, Hashable {
    public var vin: String?
    public var fleet: String?
    public var rules: [String]
    public var monitor: MonitorParameter
    public init(vin: String?, fleet: String?, rules: [String], monitor: MonitorParameter) {
        self.vin = vin
        self.fleet = fleet
        self.rules = rules
        self.monitor = monitor
    }
}

/// Where one rule runs on one vehicle, and what the live engine must do for it
/// (issue 6): check `localChecks` itself, poll every `pollEvery` seconds when polled.
public struct RulePlacement: Sendable, Hashable {
    public var bundle: String
    public var rule: String
    public var runs: RuleRuns
    /// Why it is not watched exactly (nil when it is).
    public var reason: String?
    /// The part of `reason` beyond what the rule's own monitor cannot express: fallbacks,
    /// sharing a monitor, weakening to fit, polling.
    public var notes: [String]
    /// Status polling period in seconds, for `polling`.
    public var pollEvery: Int?
    /// What the monitor does not guarantee and the engine must check locally.
    public var localChecks: [String]
    /// Index in the vehicle's `monitors`, when a monitor serves the rule.
    public var monitorIndex: Int?
    /// Remote actions a firing sends (for the cost estimate).
    public var remoteActions: Int
    public var maxPerDay: Int?
}

/// Everything compiled for one target (a VIN, or every other selected vehicle).
public struct VehicleCompilation: Sendable, Hashable {
    public var vin: String?
    public var fleet: String?
    public var monitors: [CompiledMonitor]
    public var placements: [RulePlacement]

    /// The shortest polling period any polled rule asks (one status GET serves them all).
    public var pollEvery: Int? { placements.compactMap(\.pollEvery).min() }

    /// Share of rules a monitor watches (exactly or as a prefilter).
    public var serverShare: Double {
        placements.isEmpty ? 1 : Double(placements.filter { $0.runs != .polling }.count) / Double(placements.count)
    }

    /// Estimated API calls per day for this vehicle: status polls (86 400 / pollEvery) plus
    /// remotes (each rule with remote actions assumed to fire once a day, or `max_per_day` times).
    public var estimatedCallsPerDay: Int {
        let polls = pollEvery.map { 86_400 / $0 } ?? 0
        let remotes = placements.reduce(0) { $0 + $1.remoteActions * ($1.maxPerDay ?? 1) }
        return polls + remotes
    }

    /// The plan for one rule (for the live runtime).
    public func placement(bundle: String, rule: String) -> RulePlacement? {
        placements.first { $0.bundle == bundle && $0.rule == rule }
    }
}

/// The result of compiling a deployment.
public struct Compilation: Sendable, Hashable {
    public var api: MonitorAPI
    public var vehicles: [VehicleCompilation]

    public var monitors: [CompiledMonitor] { vehicles.flatMap(\.monitors) }

    /// One summary per rule across targets: its worst placement (polling > prefilter >
    /// server); the reason names the vehicles when targets differ.
    public var rules: [RulePlacement] {
        var order: [String] = []
        var byKey: [String: [(String?, RulePlacement)]] = [:]
        for v in vehicles {
            for p in v.placements {
                let key = "\(p.bundle)/\(p.rule)"
                if byKey[key] == nil { order.append(key) }
                byKey[key, default: []].append((v.vin, p))
            }
        }
        return order.map { key in
            let all = byKey[key]!
            var worst = all.max { $0.1.runs < $1.1.runs }!.1
            let differing = all.filter { $0.1.runs != worst.runs }
            if !differing.isEmpty, let reason = worst.reason {
                let where_ = all.filter { $0.1.runs == worst.runs }.map { $0.0 ?? "other vehicles" }
                worst.reason = reason + " (on " + where_.joined(separator: ", ") + ")"
            }
            worst.pollEvery = all.compactMap(\.1.pollEvery).min()
            return worst
        }
    }
}
