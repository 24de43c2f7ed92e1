import RuleLanguage
import VehicleData

/// One evaluation of a rule, sub-condition by sub-condition (`--explain RULE`): the
/// answer to "why didn't my rule fire?".
public struct Explanation: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var depth: Int
        public var text: String
        public var truth: Truth
    }

    public var at: Millis
    public var vin: String
    public var bundle: String
    public var rule: String
    public var cause: EvaluationCause
    /// The rule's state before this evaluation.
    public var phase: RulePhase
    public var truth: Truth
    /// The condition tree, pre-order, each node with its value.
    public var lines: [Line]
}

extension RuleEngine {
    func explain(rule g: Int, vehicle v: Int, at t: Millis, cause: EvaluationCause, truth: Truth,
                 _ sink: (Explanation) -> Void) {
        let rule = rules[g]
        let bundle = bundles[rule.bundle].bundle.name
        guard explainRules.contains(rule.rule.id) || explainRules.contains("\(bundle)/\(rule.rule.id)") else { return }
        let view = referenceView(vehicle: v, at: t, bundle: rule.bundle)
        var lines: [Explanation.Line] = []
        func walk(_ c: Condition, _ depth: Int) {
            lines.append(.init(depth: depth, text: ConditionText.render(c, view: view),
                               truth: ReferenceEvaluator.evaluate(c, in: view)))
            switch c {
            case .and(let cs), .or(let cs): cs.forEach { walk($0, depth + 1) }
            case .not(let inner): walk(inner, depth + 1)
            default: break
            }
        }
        walk(rule.rule.condition, 0)
        let phase: RulePhase = [RuleSlot.armed: .armed, RuleSlot.pending: .pending][self.phase(v, g)] ?? .latched
        sink(Explanation(at: t, vin: vins[v], bundle: bundle, rule: rule.rule.id, cause: cause, phase: phase,
                         truth: truth, lines: lines))
    }
}

/// Condition nodes as text, with the current value of what they read (`battery.level
/// < 20  [battery.level = 18]`).
public enum ConditionText {
    public static func render(_ c: Condition, view: ReferenceView? = nil) -> String {
        func field(_ f: FieldID) -> String {
            let name = Catalog[f].alias
            guard let view else { return name }
            return name
                + "  [= \(ValueText.render(view.value(f)))]"
        }
        switch c {
        case .constant(let b): return b ? "true" : "false"
        case .isTrue(let f): return field(f)
        case .compare(let f, let op, let lit): return "\(Catalog[f].alias) \(op.rawValue) \(literal(lit))" + suffix(f, view)
        case .member(let f, let lits, let negated):
            return "\(Catalog[f].alias) \(negated ? "not in" : "in") [\(lits.map(literal).joined(separator: ", "))]" + suffix(f, view)
        case .contains(let f, let m): return "has(\(Catalog[f].alias), \(m))" + suffix(f, view)
        case .inside(let z): return "inside(\(z.name))"
        case .entered(let z): return "entered(\(z.name))"
        case .left(let z): return "left(\(z.name))"
        case .changed(let f): return "changed(\(Catalog[f].alias))" + suffix(f, view)
        case .age(let f, let op, let seconds):
            let shown = view.map { v in "  [age = \(ValueText.age(v.dataTime(f).map { v.at - $0 }))]" } ?? ""
            let d = seconds.truncatingRemainder(dividingBy: 60) == 0 ? ValueText.age(Millis(seconds * 1000)) : ConditionText.literal(.number(seconds)) + "s"
            return "age(\(Catalog[f].alias)) \(op.rawValue) \(d)" + shown
        case .within(let s): return "within(\(s.name))"
        case .and: return "and"
        case .or: return "or"
        case .not: return "not"
        }
    }

    private static func suffix(_ f: FieldID, _ view: ReferenceView?) -> String {
        guard let view else { return "" }
        return "  [\(Catalog[f].alias) = \(ValueText.render(view.value(f)))]"
    }

    static func literal(_ l: Literal) -> String {
        switch l {
        case .number(let n): return ValueText.number(n)
        case .bool(let b): return b ? "true" : "false"
        case .member(let m): return m
        }
    }
}
