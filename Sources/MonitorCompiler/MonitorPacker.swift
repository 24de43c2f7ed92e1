/// Fits every rule deployed on one vehicle into the API's 5 monitors of 5 triggers:
/// identical monitors are deployed once, then the pair whose OR needs the fewest
/// triggers is merged (both rules become prefilters), then merged prefilters are
/// weakened, and only when weakening would leave nothing to watch do a monitor's rules
/// go to polling. Every step only weakens a monitor, so every rule stays sound.
enum MonitorPacker {
    static let maxMonitors = 5

    struct Packed: Sendable {
        var formula: TriggerFormula
        /// Indices of the rules (in the input order) this monitor serves.
        var members: [Int]
    }

    struct Placement: Sendable {
        var runs: RuleRuns
        /// Why the rule's own monitor is weaker than the rule (what it cannot express).
        var base: String? = nil
        /// Everything else: fallbacks, sharing, weakening to fit, polling.
        var reasons: [String]
        var localChecks: [String]
        var pollEvery: Int?
        var monitor: Int?
    }

    static func pack(_ rules: [CompiledRule]) -> (monitors: [Packed], placements: [Placement]) {
        var placements = rules.map(initialPlacement)
        var packed: [Packed] = []
        for (i, r) in rules.enumerated() {
            switch r.kind {
            case .monitor, .onChangeFallback:
                if let k = packed.firstIndex(where: { $0.formula == r.formula }) { packed[k].members.append(i) }
                else { packed.append(Packed(formula: r.formula, members: [i])) }
            case .polling, .never:
                break
            }
        }
        while packed.count > maxMonitors {
            if let (a, b) = bestPair(packed, fitting: true) {
                packed[a] = Packed(formula: TriggerFormula.or([packed[a].formula, packed[b].formula]).simplified(),
                                   members: packed[a].members + packed[b].members)
                packed.remove(at: b)
                continue
            }
            let (a, b) = bestPair(packed, fitting: false)!
            let merged = TriggerFormula.or([packed[a].formula, packed[b].formula]).simplified()
            let (reduced, dropped) = RuleCompiler.reduce(merged, to: RuleCompiler.maxTriggers)
            if reduced.triviality == nil {
                let note = "weakened to fit the vehicle's \(maxMonitors) monitors × \(RuleCompiler.maxTriggers) triggers: dropped "
                    + dropped.map(RuleCompiler.describe).joined(separator: "; ")
                for m in packed[a].members + packed[b].members { placements[m].reasons.append(note) }
                packed[a] = Packed(formula: reduced, members: packed[a].members + packed[b].members)
                packed.remove(at: b)
                continue
            }
            // Nothing non-trivial fits: the monitor serving the fewest rules goes to polling.
            let victim = packed.indices.min { (packed[$0].members.count, -$0) < (packed[$1].members.count, -$1) }!
            for m in packed[victim].members {
                placements[m].runs = .polling
                placements[m].pollEvery = rules[m].pollEvery
                placements[m].localChecks = ["the whole condition"]
                placements[m].reasons.append("no room left on the vehicle: \(maxMonitors) monitors × "
                    + "\(RuleCompiler.maxTriggers) triggers are taken by \(rules.count - packed[victim].members.count) other rules")
            }
            packed.remove(at: victim)
        }
        for (k, p) in packed.enumerated() {
            for m in p.members {
                placements[m].monitor = k
                if p.formula != rules[m].formula || p.members.count > 1 && !isExactShare(p, rules, m) {
                    let others = p.members.filter { $0 != m }.map { rules[$0].key }
                    if placements[m].runs == .server {
                        placements[m].runs = .prefilter
                        placements[m].localChecks = ["the whole condition"]
                    }
                    if !others.isEmpty { placements[m].reasons.append("shares a monitor with " + others.joined(separator: ", ")) }
                }
            }
        }
        return (packed, placements)
    }

    /// Rules with the very same formula share a monitor without losing exactness.
    private static func isExactShare(_ p: Packed, _ rules: [CompiledRule], _ m: Int) -> Bool {
        p.members.allSatisfy { rules[$0].formula == rules[m].formula }
    }

    /// The pair whose OR needs the fewest triggers (only pairs within 5 triggers and not
    /// trivial when `fitting`); ties go to the earliest pair.
    private static func bestPair(_ packed: [Packed], fitting: Bool) -> (Int, Int)? {
        let atomSets = packed.map { Set($0.formula.atoms) }
        var candidates: [(count: Int, a: Int, b: Int)] = []
        for a in packed.indices {
            for b in packed.indices where b > a {
                let n = atomSets[a].union(atomSets[b]).count
                if !fitting || n <= RuleCompiler.maxTriggers { candidates.append((n, a, b)) }
            }
        }
        candidates.sort { ($0.count, $0.a, $0.b) < ($1.count, $1.a, $1.b) }
        for c in candidates {
            if !fitting { return (c.a, c.b) }
            let merged = TriggerFormula.or([packed[c.a].formula, packed[c.b].formula]).simplified()
            if merged.triviality == nil { return (c.a, c.b) }
        }
        return nil
    }

    private static func initialPlacement(_ r: CompiledRule) -> Placement {
        let reasons = r.reason.map { [$0] } ?? []
        switch r.kind {
        case .monitor(let exact):
            return Placement(runs: exact ? .server : .prefilter, base: r.reason, reasons: [], localChecks: r.localChecks,
                             pollEvery: r.ageRefresh)
        case .onChangeFallback:
            return Placement(runs: .prefilter, reasons: reasons, localChecks: r.localChecks, pollEvery: r.ageRefresh)
        case .polling:
            return Placement(runs: .polling, reasons: reasons, localChecks: r.localChecks, pollEvery: r.pollEvery)
        case .never:
            return Placement(runs: .server, reasons: reasons, localChecks: [])
        }
    }
}
