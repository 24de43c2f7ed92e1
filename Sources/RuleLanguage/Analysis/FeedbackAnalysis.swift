import VehicleData

/// A checked rule with what the feedback analysis needs from its file.
struct FeedbackRule {
    var bundle: String
    var vehicles: VehicleSelection
    var rule: CheckedRule
    /// The range of each `then:` item, parallel to `rule.actions`.
    var actionRanges: [SourceRange]
    /// The rule says `allow: [feedback]`: it takes part in no feedback warning.
    var acknowledged: Bool

    var name: String { "\(bundle)/\(rule.id)" }
}

/// Feedback loops (issue 7): a rule whose own action changes a field its condition
/// reads so that it fires again by itself (`feedback-loop`), and rules whose actions
/// make each other's conditions true in a cycle (`feedback-cycle`), within a bundle and
/// across the bundles validated together. Work is bounded so huge bundles stay fast.
enum FeedbackAnalysis {
    /// Satisfiability checks spent on edges, and search steps spent on cycles, at most.
    static let maxChecks = 50_000
    static let maxSteps = 100_000
    static let maxCycles = 50
    static let maxCycleLength = 8

    struct Edge {
        var target: Int
        var action: Int
        var effect: String
    }

    static func diagnostics(_ rules: [FeedbackRule]) -> [Diagnostic] {
        var budget = maxChecks
        let reads = rules.map { r in r.acknowledged ? nil : ReadSet(r.rule.condition) }
        let adjacency = edges(rules, reads, &budget)
        var steps = maxSteps
        let cycles = findCycles(adjacency, &steps)
        var out: [Diagnostic] = []
        var inCycle = Set<Int>()
        for cycle in cycles {
            inCycle.formUnion(cycle.map(\.0))
            out += report(cycle, rules)
        }
        var selfBudget = maxChecks   // its own budget: a rule's own loop is always looked for
        for (i, r) in rules.enumerated() where !inCycle.contains(i) {
            guard let read = reads[i], let d = selfLoop(r, read, &selfBudget) else { continue }
            out.append(d)
        }
        return out
    }

    /// Edges A → B: an effect of A's remotes can make B's condition true.
    static func edges(_ rules: [FeedbackRule], _ reads: [ReadSet?], _ budget: inout Int) -> [[Edge]] {
        // Only rules that send a remote can lead on in a cycle.
        let sends = rules.map { r in r.rule.actions.contains { if case .remote = $0 { return true } else { return false } } }
        var readers: [FieldID: [Int]] = [:], changedReaders: [Int] = []
        for (i, read) in reads.enumerated() where sends[i] {
            guard let read else { continue }
            for f in read.fields { readers[f, default: []].append(i) }
            if !read.changedFields.isEmpty { changedReaders.append(i) }
        }
        var adjacency = Array(repeating: [Edge](), count: rules.count)
        // The rules that can hold with `f == v` at all, whatever fired: computed once per
        // field and value, so the pairs examined are only those that may link.
        struct Key: Hashable { var field: FieldID, value: Literal? }
        var risers: [Key: [Int]] = [:]
        for (a, rule) in rules.enumerated() where reads[a] != nil {
            var linked = Set<Int>()
            for (k, action) in rule.rule.actions.enumerated() {
                guard case .remote(let command) = action else { continue }
                let effect = ActionEffects.of(command)
                let spelled = ActionEffects.spelling(command)
                for fe in effect.fields {
                    guard let f = fe.fieldID else { continue }
                    let key = Key(field: f, value: fe.value)
                    if risers[key] == nil {
                        risers[key] = (readers[f] ?? []).filter { reads[$0]!.canRise(f, fe, after: nil) }
                    }
                    for b in risers[key]! where b != a && !linked.contains(b) {
                        guard budget > 0 else { break }
                        guard overlap(rule, rules[b]) else { continue }
                        budget -= reads[b]!.conjuncts.count * reads[a]!.conjuncts.count
                        if reads[b]!.canRise(f, fe, after: reads[a]!) {
                            linked.insert(b)
                            adjacency[a].append(Edge(target: b, action: k, effect: "\(spelled) \(describe(fe))"))
                        }
                    }
                }
                if effect.refreshesAll {
                    for b in changedReaders where b != a && !linked.contains(b) && overlap(rule, rules[b]) {
                        linked.insert(b)
                        adjacency[a].append(Edge(target: b, action: k, effect: "\(spelled) brings a fresh observation"))
                    }
                }
            }
        }
        return adjacency
    }

    /// Elementary cycles, each found once from its smallest rule index, bounded.
    static func findCycles(_ adjacency: [[Edge]], _ budget: inout Int) -> [[(Int, Edge)]] {
        var cycles: [[(Int, Edge)]] = []
        var path: [(Int, Edge)] = []
        var onPath = Array(repeating: false, count: adjacency.count)
        func visit(_ u: Int, _ start: Int, _ budget: inout Int) {
            for edge in adjacency[u] {
                guard cycles.count < maxCycles, budget > 0 else { return }
                budget -= 1
                if edge.target == start {
                    cycles.append(path + [(u, edge)])
                } else if edge.target > start, !onPath[edge.target], path.count + 1 < maxCycleLength {
                    onPath[edge.target] = true
                    path.append((u, edge))
                    visit(edge.target, start, &budget)
                    path.removeLast()
                    onPath[edge.target] = false
                }
            }
        }
        for start in adjacency.indices where !adjacency[start].isEmpty {
            onPath[start] = true
            visit(start, start, &budget)
            onPath[start] = false
        }
        return cycles
    }

    static func report(_ cycle: [(Int, Edge)], _ rules: [FeedbackRule]) -> [Diagnostic] {
        let path = cycle.map { "`\(rules[$0.0].name)` (\($0.1.effect))" }.joined(separator: " → ")
            + " → `\(rules[cycle[0].0].name)`"
        return cycle.map { (i, edge) in
            let next = rules[edge.target]
            let nextName = next.bundle == rules[i].bundle ? next.rule.id : next.name
            return Diagnostic(
                severity: .warning, code: "feedback-cycle",
                message: "this action can make rule `\(nextName)` fire, and the rules of this cycle drive each other's conditions in a loop",
                range: rules[i].actionRanges[edge.action],
                notes: ["cycle: " + path,
                        "if the loop is intended, add `allow: [feedback]` to one of these rules; otherwise make their conditions exclusive"])
        }
    }

    static func selfLoop(_ r: FeedbackRule, _ read: ReadSet, _ budget: inout Int) -> Diagnostic? {
        for (k, action) in r.rule.actions.enumerated() {
            guard case .remote(let command) = action, budget > 0 else { continue }
            let effect = ActionEffects.of(command)
            let spelled = "`\(ActionEffects.spelling(command))`"
            for fe in effect.fields {
                guard let f = fe.fieldID, read.fields.contains(f) else { continue }
                budget -= read.conjuncts.count
                let alias = fe.alias
                if let v = fe.value {
                    guard !read.allows(f, v) else { continue }
                    let again = fe.laterValues.filter { read.allows(f, $0) }
                    guard !again.isEmpty else { continue }
                    let values = again.map(ActionEffects.describe).joined(separator: " or ")
                    return loop(r, k, "\(spelled) sets \(alias) to \(ActionEffects.describe(v)), which makes this rule's condition false; "
                                + "the rule re-arms and fires again each time \(alias) becomes \(values) by itself")
                } else if fe.endsByItself {
                    return loop(r, k, "\(spelled) changes \(alias), which this rule's condition reads; "
                                + "the rule can fire again when \(alias) changes back by itself")
                }
            }
            if effect.refreshesAll, let f = read.changedFields.sorted().first {
                return loop(r, k, "\(spelled) brings a fresh observation of every field, which can make `changed(\(Catalog[f].alias))` "
                            + "true again: the rule can fire again at each wake-up")
            }
        }
        return nil
    }

    static func loop(_ r: FeedbackRule, _ action: Int, _ message: String) -> Diagnostic {
        Diagnostic(severity: .warning, code: "feedback-loop", message: message, range: r.actionRanges[action],
                   notes: ["rule `\(r.rule.id)` is driven by its own action (a loop the runtime stops at its guardrails)",
                           "if this is intended, add `allow: [feedback]` to the rule; otherwise exclude those values in `when`"])
    }

    static func describe(_ fe: FieldEffect) -> String {
        fe.value.map { "sets \(fe.alias) to \(ActionEffects.describe($0))" } ?? "changes \(fe.alias)"
    }

    /// Rules of different bundles meet only on vehicles both bundles see.
    static func overlap(_ a: FeedbackRule, _ b: FeedbackRule) -> Bool {
        guard a.bundle != b.bundle, case .selectors(let x) = a.vehicles, case .selectors(let y) = b.vehicles else { return true }
        func vins(_ list: [VehicleSelector]) -> Set<String>? {
            var out = Set<String>()
            for s in list {
                switch s {
                case .vin(let v): out.insert(v)
                case .tag: return nil   // the inventory decides: assume they may meet
                }
            }
            return out
        }
        guard let vx = vins(x), let vy = vins(y) else { return true }
        return !vx.isDisjoint(with: vy)
    }
}

/// The satisfiable conjunctions of a condition and the fields they mention.
struct ReadSet {
    var conjuncts: [ConditionAnalysis.Conjunct]
    var fields: Set<FieldID> = []
    /// Fields under a positive `changed(…)`.
    var changedFields: Set<FieldID> = []

    init?(_ condition: Condition) {
        guard let dnf = ConditionAnalysis.dnf(condition) else { return nil }
        conjuncts = dnf.filter(ConditionAnalysis.isSatisfiable)
        for conj in conjuncts {
            for lit in conj {
                guard let f = Self.field(of: lit.atom) else { continue }
                fields.insert(f)
                if case .changed = lit.atom, lit.positive { changedFields.insert(f) }
            }
        }
    }

    static func field(of atom: Condition) -> FieldID? {
        switch atom {
        case .compare(let f, _, _), .member(let f, _, _), .isTrue(let f), .contains(let f, _), .changed(let f): return f
        default: return nil
        }
    }

    /// The condition can hold with `f == v`.
    func allows(_ f: FieldID, _ v: Literal) -> Bool {
        let lit = ConditionAnalysis.Lit(atom: .compare(f, .eq, v), positive: true)
        return conjuncts.contains { ConditionAnalysis.isSatisfiable($0 + [lit]) }
    }

    /// The effect of a rule that just fired can make this condition true: a conjunction
    /// that reads `f` holds with the value the effect sets (values it moves on to by
    /// itself are the business of `feedback-loop`) while
    /// the other fields keep values under which the firing rule's condition held
    /// (events are momentary and dropped). Without a firing rule: whether it can hold
    /// with that value at all.
    func canRise(_ f: FieldID, _ effect: FieldEffect, after firing: ReadSet?) -> Bool {
        let reading = conjuncts.filter { conj in conj.contains { Self.field(of: $0.atom) == f } }
        guard !reading.isEmpty else { return false }
        let before = (firing?.conjuncts ?? [[]]).map { conj in conj.filter { lit in Self.field(of: lit.atom) != f && !Self.isEvent(lit.atom) } }
        let set = effect.value.map { [ConditionAnalysis.Lit(atom: .compare(f, .eq, $0), positive: true)] } ?? []
        return reading.contains { cb in before.contains { ca in ConditionAnalysis.isSatisfiable(ca + cb + set) } }
    }

    static func isEvent(_ atom: Condition) -> Bool {
        switch atom {
        case .changed, .entered, .left: return true
        default: return false
        }
    }
}
