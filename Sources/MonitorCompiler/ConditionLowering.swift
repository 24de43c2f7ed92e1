import RuleLanguage
import VehicleData

/// Turns a rule condition into a monitor formula: negation normal form, each literal
/// mapped to a trigger (or weakened to `true` when no trigger can express it), and a
/// list of what the engine must still check locally because the mapping is not exact.
struct ConditionLowering {
    let factory: TriggerFactory
    /// Parts of the condition the monitor over-approximates (empty: the monitor is exact).
    private(set) var localChecks: [String] = []

    init(factory: TriggerFactory) { self.factory = factory }

    mutating func lower(_ condition: Condition) -> TriggerFormula {
        lower(condition, positive: true).simplified()
    }

    private mutating func lower(_ c: Condition, positive: Bool) -> TriggerFormula {
        switch c {
        case .constant(let b):
            return .constant(b == positive)
        case .and(let xs):
            let parts = xs.map { lower($0, positive: positive) }
            return positive ? .and(parts) : .or(parts)
        case .or(let xs):
            let parts = xs.map { lower($0, positive: positive) }
            return positive ? .or(parts) : .and(parts)
        case .not(let x):
            return lower(x, positive: !positive)
        case .isTrue(let f):
            return record(factory.compare(f, positive ? .eq : .ne, .bool(true)), c, positive)
        case .compare(let f, let op, let lit):
            return record(factory.compare(f, positive ? op : op.negated, lit), c, positive)
        case .member(let f, let lits, let negated):
            return record(factory.member(f, lits, negated: negated == positive), c, positive)
        case .contains(let f, let member):
            return record(factory.contains(f, member, positive: positive), c, positive)
        case .inside(let z):
            return record(factory.zone(z, inside: positive), c, positive)
        case .entered(let z), .left(let z):
            // Events: true only at the observation that crosses the boundary, when the
            // vehicle is inside (entered) or outside (left): watch that state, check locally.
            let isEntered: Bool
            if case .entered = c { isEntered = true } else { isEntered = false }
            let state = positive ? factory.zone(z, inside: isEntered) : .weakened("an event's negation")
            localChecks.append(Self.describe(c, positive) + " (an event: the engine compares with the previous position)")
            return state.formula
        case .changed(let f):
            let state = positive ? factory.onChange(f) : .weakened("an event's negation")
            localChecks.append(Self.describe(c, positive) + " (an event: the engine compares with the previous value)")
            return state.formula
        case .within(let s):
            return record(factory.schedule(s, active: positive), c, positive)
        case .age:
            // No trigger watches the time since a value was measured: the engine checks
            // it locally, at its own timers (SEMANTICS.md "Data time and age").
            return record(.weakened("an age threshold runs locally, from the data time"), c, positive)
        }
    }

    private mutating func record(_ mapped: TriggerFactory.Mapped, _ c: Condition, _ positive: Bool) -> TriggerFormula {
        switch mapped {
        case .exact(let f):
            return f
        case .approximate(let f, let why):
            localChecks.append("\(Self.describe(c, positive)) (\(why))")
            return f
        case .weakened(let why):
            localChecks.append("\(Self.describe(c, positive)) (\(why))")
            return .constant(true)
        }
    }

    // MARK: - Describing literals for reports

    static func describe(_ c: Condition, _ positive: Bool) -> String {
        let text = describe(c)
        return positive ? text : "not \(text)"
    }

    static func describe(_ c: Condition) -> String {
        switch c {
        case .constant(let b): return b ? "true" : "false"
        case .isTrue(let f): return Catalog[f].alias
        case .compare(let f, let op, let lit): return "\(Catalog[f].alias) \(op.rawValue) \(describe(lit, Catalog[f]))"
        case .member(let f, let lits, let negated):
            let list = lits.map { describe($0, Catalog[f]) }.joined(separator: ", ")
            return "\(Catalog[f].alias) \(negated ? "not in" : "in") [\(list)]"
        case .contains(let f, let m): return "has(\(Catalog[f].alias), \(m))"
        case .inside(let z): return "inside(\(z.name))"
        case .entered(let z): return "entered(\(z.name))"
        case .left(let z): return "left(\(z.name))"
        case .changed(let f): return "changed(\(Catalog[f].alias))"
        case .age(let f, let op, let seconds):
            let n = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            return "age(\(Catalog[f].alias)) \(op.rawValue) \(n)s"
        case .within(let s): return "within(\(s.name))"
        case .and(let xs): return "(" + xs.map(describe).joined(separator: " and ") + ")"
        case .or(let xs): return "(" + xs.map(describe).joined(separator: " or ") + ")"
        case .not(let x): return "not \(describe(x))"
        }
    }

    static func describe(_ lit: Literal, _ field: Field) -> String {
        switch lit {
        case .number(let n):
            let unit: String
            if case .number(let d) = field.type { unit = d.canonicalUnit } else { unit = "" }
            return TriggerFactory.format(n) + (unit.isEmpty ? "" : (unit == "%" ? " %" : " \(unit)"))
        case .bool(let b): return b ? "true" : "false"
        case .member(let m): return m
        }
    }
}

extension CompareOp {
    /// The comparison that is definitely true exactly when this one is definitely false.
    var negated: CompareOp {
        switch self {
        case .lt: return .ge
        case .le: return .gt
        case .gt: return .le
        case .ge: return .lt
        case .eq: return .ne
        case .ne: return .eq
        }
    }
}
