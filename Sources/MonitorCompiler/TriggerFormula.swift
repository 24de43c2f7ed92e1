import StellantisModels

/// What a trigger watches, without its name: two rules watching the same thing share
/// one trigger, and two monitors with the same content are the same monitor.
public enum TriggerContent: Sendable, Hashable {
    case zone(ZoneTrigger)
    case time(TimeTrigger)
    case data(DataTrigger)

    /// The letter trigger names start with (`z1`, `t1`, `d1`).
    var namePrefix: String {
        switch self {
        case .zone: return "z"
        case .time: return "t"
        case .data: return "d"
        }
    }

    func trigger(named name: String) -> MonitorTrigger {
        switch self {
        case .zone(let z): return .zone(name, z)
        case .time(let t): return .time(name, t)
        case .data(let d): return .data(name, d)
        }
    }

    init?(_ trigger: MonitorTrigger) {
        if let z = trigger.zone { self = .zone(z) }
        else if let t = trigger.time { self = .time(t) }
        else if let d = trigger.data { self = .data(d) }
        else { return nil }
    }
}

/// A monitor condition in negation normal form: `and`/`or` of trigger literals.
/// Replacing any literal by `true` weakens it, which is how the compiler stays sound.
indirect enum TriggerFormula: Sendable, Hashable {
    case constant(Bool)
    case atom(TriggerContent, positive: Bool)
    case and([TriggerFormula])
    case or([TriggerFormula])

    /// Distinct trigger contents, in order of first appearance.
    var atoms: [TriggerContent] {
        var seen = Set<TriggerContent>()
        var out: [TriggerContent] = []
        func walk(_ f: TriggerFormula) {
            switch f {
            case .constant: break
            case .atom(let c, _): if seen.insert(c).inserted { out.append(c) }
            case .and(let xs), .or(let xs): xs.forEach(walk)
            }
        }
        walk(self)
        return out
    }

    /// Flattens, removes duplicates and folds constants.
    func simplified() -> TriggerFormula {
        switch self {
        case .constant, .atom: return self
        case .and(let xs): return Self.fold(xs.map { $0.simplified() }, isAnd: true)
        case .or(let xs): return Self.fold(xs.map { $0.simplified() }, isAnd: false)
        }
    }

    private static func fold(_ parts: [TriggerFormula], isAnd: Bool) -> TriggerFormula {
        var out: [TriggerFormula] = []
        for p in parts {
            switch p {
            case .constant(let b):
                if b != isAnd { return .constant(b) }  // false in and, true in or: absorbs
            case .and(let inner) where isAnd: out.append(contentsOf: inner.filter { !out.contains($0) })
            case .or(let inner) where !isAnd: out.append(contentsOf: inner.filter { !out.contains($0) })
            default: if !out.contains(p) { out.append(p) }
            }
        }
        if out.isEmpty { return .constant(isAnd) }
        if out.count == 1 { return out[0] }
        return isAnd ? .and(out) : .or(out)
    }

    /// Every literal on `content` replaced by `true`, then simplified.
    func weakening(_ content: TriggerContent) -> TriggerFormula {
        func walk(_ f: TriggerFormula) -> TriggerFormula {
            switch f {
            case .constant: return f
            case .atom(let c, _): return c == content ? .constant(true) : f
            case .and(let xs): return .and(xs.map(walk))
            case .or(let xs): return .or(xs.map(walk))
            }
        }
        return walk(self).simplified()
    }

    /// The formula's value when each trigger is satisfied or not.
    func evaluate(_ satisfied: (TriggerContent) -> Bool) -> Bool {
        switch self {
        case .constant(let b): return b
        case .atom(let c, let positive): return satisfied(c) == positive
        case .and(let xs): return xs.allSatisfy { $0.evaluate(satisfied) }
        case .or(let xs): return xs.contains { $0.evaluate(satisfied) }
        }
    }

    /// `true`/`false` when the formula has that value whatever its triggers do (the API
    /// refuses such a `boolExp`), nil otherwise. Exhaustive over ≤ 12 triggers.
    var triviality: Bool? {
        let list = atoms
        if case .constant(let b) = self { return b }
        guard list.count <= 12 else { return nil }
        var seenTrue = false, seenFalse = false
        for mask in 0..<(1 << list.count) {
            let value = evaluate { c in mask & (1 << list.firstIndex(of: c)!) != 0 }
            if value { seenTrue = true } else { seenFalse = true }
            if seenTrue && seenFalse { return nil }
        }
        return seenTrue
    }

    /// The API's `boolExp`: operands are the names given, every `&`/`|` group is in
    /// parentheses, and the whole expression is parenthesised (`(d1)`, `(!t1)`, `((d1 & d2) | z1)`).
    func boolExp(names: [TriggerContent: String]) -> String {
        func render(_ f: TriggerFormula) -> String {
            switch f {
            case .constant(let b): return b ? "true" : "false"  // never emitted: trivial formulas fall back
            case .atom(let c, let positive): return (positive ? "" : "!") + names[c]!
            case .and(let xs): return "(" + xs.map(render).joined(separator: " & ") + ")"
            case .or(let xs): return "(" + xs.map(render).joined(separator: " | ") + ")"
            }
        }
        let text = render(self)
        return text.hasPrefix("(") && text.hasSuffix(")") && isAndOr ? text : "(" + text + ")"
    }

    private var isAndOr: Bool {
        switch self {
        case .and, .or: return true
        default: return false
        }
    }
}
