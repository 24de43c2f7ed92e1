import VehicleData

/// Satisfiability of conditions over known values (definitely true needs every value
/// known, so two-valued reasoning per field is exact): conditions are put in negation
/// normal form, expanded to a bounded disjunctive normal form, and each conjunction is
/// checked field by field (number intervals with the field's domain, boolean and enum
/// value sets, where an enum also has values outside its documented members), plus
/// zone events against zone states and schedule overlaps.
enum ConditionAnalysis {
    struct Lit: Hashable {
        var atom: Condition
        var positive: Bool
    }
    typealias Conjunct = [Lit]

    static let maxConjuncts = 256

    /// The conjunctions of `c` (or of `not c`), nil when the expansion is too large.
    static func dnf(_ c: Condition, negated: Bool = false) -> [Conjunct]? {
        switch (c, negated) {
        case (.constant(let b), _): return b != negated ? [[]] : []
        case (.not(let inner), _): return dnf(inner, negated: !negated)
        case (.and(let cs), false), (.or(let cs), true):
            var acc: [Conjunct] = [[]]
            for child in cs {
                guard let d = dnf(child, negated: negated) else { return nil }
                var next: [Conjunct] = []
                for a in acc { for b in d { next.append(a + b) } }
                guard next.count <= maxConjuncts else { return nil }
                acc = next.filter(isSatisfiable)
            }
            return acc
        case (.and(let cs), true), (.or(let cs), false):
            var acc: [Conjunct] = []
            for child in cs {
                guard let d = dnf(child, negated: negated) else { return nil }
                acc += d
                guard acc.count <= maxConjuncts else { return nil }
            }
            return acc
        default:
            return [[Lit(atom: c, positive: !negated)]]
        }
    }

    /// nil when undecided (too large to expand).
    static func isSatisfiable(_ c: Condition) -> Bool? {
        dnf(c).map { $0.contains(where: isSatisfiable) }
    }

    static func isAlwaysTrue(_ c: Condition) -> Bool? {
        dnf(c, negated: true).map { !$0.contains(where: isSatisfiable) }
    }

    /// True when the condition can only hold at the evaluation of an event.
    static func needsEvent(_ c: Condition) -> Bool {
        guard let conjuncts = dnf(c) else { return false }
        let satisfiable = conjuncts.filter(isSatisfiable)
        return !satisfiable.isEmpty && satisfiable.allSatisfy { conj in
            conj.contains { lit in
                guard lit.positive else { return false }
                switch lit.atom {
                case .entered, .left, .changed: return true
                default: return false
                }
            }
        }
    }

    static func isSatisfiable(_ conj: Conjunct) -> Bool {
        var fields: [FieldID: FieldConstraint] = [:]
        var props: [Condition: Bool] = [:]
        var schedule = WeekMask(full: true)
        var excluded = WeekMask(full: false)
        for lit in conj {
            switch lit.atom {
            case .compare(let f, _, _), .member(let f, _, _), .isTrue(let f):
                var fc = fields[f] ?? FieldConstraint(field: Catalog[f])
                fc.add(lit)
                if fc.isEmpty { return false }
                fields[f] = fc
            case .within(let s):
                if lit.positive { schedule = schedule.intersection(WeekMask(s)) } else { excluded = excluded.union(WeekMask(s)) }
                if schedule.subtracting(excluded).isEmpty { return false }
            default:
                if let other = props[lit.atom], other != lit.positive { return false }
                props[lit.atom] = lit.positive
            }
        }
        return zonesAgree(props)
    }

    /// `entered(z)` needs the vehicle inside `z`, `left(z)` outside; both at once never.
    static func zonesAgree(_ props: [Condition: Bool]) -> Bool {
        for (atom, positive) in props where positive {
            switch atom {
            case .entered(let z):
                if props[.inside(z)] == false || props[.left(z)] == true { return false }
            case .left(let z):
                if props[.inside(z)] == true { return false }
            default: break
            }
        }
        return true
    }
}
