import RuleLanguage
import StellantisModels
import VehicleData

/// Compiles one rule into a monitor formula: lowering, at most 5 triggers (weakening
/// the least useful ones), and the fallbacks when nothing non-trivial is left.
enum RuleCompiler {
    static let maxTriggers = 5

    static func compile(_ rule: CheckedRule, in bundle: CheckedBundle) -> CompiledRule {
        var lowering = ConditionLowering(factory: TriggerFactory(bundleTimeZone: bundle.timeZone))
        var formula = mergeInclusions(lowering.lower(rule.condition))
        var checks = lowering.localChecks
        let (fields, position) = reads(rule)
        var result = CompiledRule(bundle: bundle.name, rule: rule, kind: .monitor(exact: checks.isEmpty),
                                  formula: formula, localChecks: checks, reason: nil,
                                  fieldsRead: fields, usesPosition: position)
        if formula.triviality == false {
            result.kind = .never
            result.reason = "the condition can never be true"
            return result
        }
        if formula.atoms.count > maxTriggers {
            let (reduced, dropped) = reduce(formula, to: maxTriggers)
            formula = reduced
            checks += dropped.map { "\(describe($0)) (dropped: more than \(maxTriggers) triggers)" }
        }
        result.formula = formula
        result.localChecks = checks
        if formula.triviality == true {
            return fallback(result, because: checks)
        }
        result.kind = .monitor(exact: checks.isEmpty)
        result.reason = checks.isEmpty ? nil : "the monitor cannot express " + checks.joined(separator: "; ")
        return result
    }

    /// `a == x or a == y` (or `has(alerts, x) or has(alerts, y)`) on a path accepting
    /// `includedIn` becomes one `includedIn [x, y]` trigger: exact, and fewer triggers.
    static func mergeInclusions(_ f: TriggerFormula) -> TriggerFormula {
        switch f {
        case .constant, .atom: return f
        case .and(let xs): return TriggerFormula.and(xs.map(mergeInclusions)).simplified()
        case .or(let xs):
            var out: [TriggerFormula] = []
            var merged: [String: Int] = [:]  // path → index in out
            for x in xs.map(mergeInclusions) {
                guard case .atom(.data(let d), true) = x, d.op == .equalsTo || d.op == .includedIn,
                      Catalog.monitorPaths.first(where: { $0.path == d.data })?.ops.contains(.includedIn) == true else {
                    out.append(x)
                    continue
                }
                if let k = merged[d.data], case .atom(.data(let prior), true) = out[k] {
                    let values = (prior.value ?? []) + (d.value ?? []).filter { !(prior.value ?? []).contains($0) }
                    out[k] = .atom(.data(DataTrigger(data: d.data, op: .includedIn, value: values)), positive: true)
                } else {
                    merged[d.data] = out.count
                    out.append(x)
                }
            }
            return TriggerFormula.or(out).simplified()
        }
    }

    /// Weakens literals one at a time, each time keeping the most triggers (the most
    /// selective monitor) without becoming trivial, until at most `limit` remain.
    static func reduce(_ formula: TriggerFormula, to limit: Int) -> (TriggerFormula, [TriggerContent]) {
        var f = formula
        var dropped: [TriggerContent] = []
        while f.atoms.count > limit {
            var best: (TriggerFormula, TriggerContent)? = nil
            for atom in f.atoms.reversed() {
                let candidate = f.weakening(atom)
                if candidate.triviality != nil { continue }
                if best == nil || candidate.atoms.count > best!.0.atoms.count { best = (candidate, atom) }
            }
            guard let (next, atom) = best else { return (.constant(true), dropped + f.atoms) }
            dropped.append(atom)
            f = next
        }
        return (f, dropped)
    }

    /// No useful monitor: onChange triggers on every field the rule reads when they all
    /// have one (and no zone is involved), otherwise status polling.
    private static func fallback(_ r: CompiledRule, because checks: [String]) -> CompiledRule {
        var r = r
        let why = checks.isEmpty ? "its trigger expression would always be true" : checks.joined(separator: "; ")
        // Fields whose values the condition compares; a field read only by age tests needs
        // fresh data times, which onChange triggers do not bring (an unchanged value
        // sends nothing): polling does.
        let conditionFields = valueReads(r.rule.condition)
        let usesZone = conditionUsesPosition(r.rule.condition)
        if conditionFields.isEmpty, !usesZone, let every = r.ageRefresh {
            r.kind = .polling
            r.formula = .constant(true)
            r.reason = "its condition only tests ages, which run locally on their own timers; the status is "
                + "polled every \(CompilationReport.minutes(every)) to keep data times fresh"
            r.localChecks = ["the whole condition"]
            return r
        }
        let watchable = conditionFields.sorted().compactMap { id -> TriggerFormula? in
            guard let s = Catalog[id].monitor, s.ops.contains(.onChange) else { return nil }
            return .atom(.data(DataTrigger(data: s.path, op: .onChange)), positive: true)
        }
        if !conditionFields.isEmpty, watchable.count == conditionFields.count, watchable.count <= maxTriggers, !usesZone {
            r.kind = .onChangeFallback
            r.formula = TriggerFormula.or(watchable).simplified()
            r.reason = "no useful server condition (\(why)); onChange triggers on "
                + conditionFields.sorted().map { Catalog[$0].alias }.joined(separator: ", ") + ", checked locally"
            r.localChecks = ["the whole condition"]
        } else {
            r.kind = .polling
            r.formula = .constant(true)
            let missing = conditionFields.sorted().filter { Catalog[$0].monitor?.ops.contains(.onChange) != true }
            var because = "no useful server condition (\(why))"
            if usesZone { because += " and positions have no onChange trigger" }
            else if !missing.isEmpty {
                because += " and " + missing.map { Catalog[$0].alias }.joined(separator: ", ") + " has no onChange trigger"
            }
            r.reason = because
            r.localChecks = ["the whole condition"]
        }
        return r
    }

    static func describe(_ c: TriggerContent) -> String {
        switch c {
        case .data(let d): return "\(d.data) \(d.op.rawValue)" + (d.value.map { " " + $0.joined(separator: ",") } ?? "")
        case .zone(let z): return "zone \(z.transition.rawValue) \(z.place.radius) km"
        case .time(let t): return "time " + t.times.map { "\($0.start)+\($0.duration ?? "")" }.joined(separator: ",")
        }
    }

    // MARK: - What a rule reads

    static func reads(_ rule: CheckedRule) -> (Set<FieldID>, Bool) {
        var fields = conditionReads(rule.condition)
        for case .notify(let template) in rule.actions {
            for part in template.parts {
                if case .field(let id) = part { fields.insert(id) }
                if case .age(let id) = part { fields.insert(id) }
            }
        }
        let position = conditionUsesPosition(rule.condition)
            || fields.contains { if case .point = Catalog[$0].type { return true } else { return false } }
        return (fields, position)
    }

    static func conditionReads(_ c: Condition) -> Set<FieldID> {
        switch c {
        case .constant, .inside, .entered, .left, .within: return []
        case .isTrue(let f), .compare(let f, _, _), .member(let f, _, _), .contains(let f, _), .changed(let f), .age(let f, _, _):
            return [f]
        case .and(let xs), .or(let xs): return xs.reduce(into: Set()) { $0.formUnion(conditionReads($1)) }
        case .not(let x): return conditionReads(x)
        }
    }

    /// The fields whose values the condition compares (not those only read by `age`).
    static func valueReads(_ c: Condition) -> Set<FieldID> {
        switch c {
        case .age: return []
        case .and(let xs), .or(let xs): return xs.reduce(into: Set()) { $0.formUnion(valueReads($1)) }
        case .not(let x): return valueReads(x)
        default: return conditionReads(c)
        }
    }

    static func conditionUsesPosition(_ c: Condition) -> Bool {
        switch c {
        case .inside, .entered, .left: return true
        case .and(let xs), .or(let xs): return xs.contains(where: conditionUsesPosition)
        case .not(let x): return conditionUsesPosition(x)
        default: return false
        }
    }
}
