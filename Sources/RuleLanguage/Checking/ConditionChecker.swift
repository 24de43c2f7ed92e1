import VehicleData

/// Checks a parsed `when:` expression against the catalog and the bundle's zones and
/// schedules, producing a typed `Condition`: names resolved, literals converted to
/// each field's canonical unit, comparisons normalised to `field op literal`.
/// Every finding is reported at its exact range in the file; nil when any was an error.
struct ConditionChecker {
    let text: EmbeddedText
    var ctx: CheckContext
    /// Side table: the field each name node resolved to, by node id.
    private(set) var fieldOf: [Int: FieldID] = [:]
    var failed = false

    static let functions = ["inside", "entered", "left", "changed", "within", "has", "age"]

    init(text: EmbeddedText, ctx: CheckContext) {
        self.text = text
        self.ctx = ctx
    }

    func range(_ e: Expr) -> SourceRange { text.map.range(e.start, e.end, in: ctx.source) }

    mutating func error(_ code: String, _ message: String, _ e: Expr, notes: [String] = []) {
        failed = true
        ctx.report(code, message, at: range(e), notes: notes)
    }

    /// Parses and checks the whole expression.
    mutating func check() -> Condition? {
        switch ExprParser.parse(text.text) {
        case .failure(let err):
            ctx.report("expression-syntax", err.message, at: text.map.range(err.start, max(err.end, err.start), in: ctx.source),
                       notes: err.notes)
            return nil
        case .success(let expr):
            let c = condition(expr)
            return failed ? nil : c
        }
    }

    mutating func condition(_ e: Expr) -> Condition? {
        switch e.kind {
        case .and(let items):
            let cs = items.map { condition($0) }
            return cs.contains { $0 == nil } ? nil : .and(cs.map { $0! })
        case .or(let items):
            let cs = items.map { condition($0) }
            return cs.contains { $0 == nil } ? nil : .or(cs.map { $0! })
        case .not(let inner):
            return condition(inner).map { .not($0) }
        case .bool(let b):
            return .constant(b)
        case .name(let n):
            guard let f = field(n, e) else { return nil }
            guard f.type == .bool else {
                error("type-mismatch", "`\(n)` is \(Self.describe(f.type)), not a condition", e,
                      notes: ["compare it, e.g. `\(n) \(Self.example(f.type))`"])
                return nil
            }
            return .isTrue(f.id)
        case .compare(let op, let l, let r):
            return comparison(op, l, r, whole: e)
        case .inList(let l, let items, let negated):
            return membership(l, items, negated: negated, whole: e)
        case .call(let name, let args):
            return call(name, args, e)
        case .number, .string:
            error("type-mismatch", "a value alone is not a condition", e)
            return nil
        }
    }

    mutating func field(_ name: String, _ e: Expr) -> Field? {
        if let f = Catalog.field(named: name) {
            fieldOf[e.id] = f.id
            return f
        }
        error("unknown-field", "unknown field `\(name)`", e, notes: Suggestion.note(for: name, in: Catalog.fields.map(\.alias)))
        return nil
    }

    private func isField(_ e: Expr) -> Bool {
        if case .name(let n) = e.kind { return Catalog.field(named: n) != nil }
        return false
    }

    mutating func comparison(_ op: CompareOp, _ l: Expr, _ r: Expr, whole: Expr) -> Condition? {
        if case .call("age", let args) = l.kind { return ageComparison(op, args, l, r, whole: whole) }
        if case .call("age", let args) = r.kind { return ageComparison(Self.flipped(op), args, r, l, whole: whole) }
        var (fieldExpr, valueExpr, op) = (l, r, op)
        if !isField(l) && isField(r) {
            (fieldExpr, valueExpr) = (r, l)
            op = Self.flipped(op)
        }
        if isField(valueExpr) {
            error("type-mismatch", "comparisons are between a field and a value; two fields cannot be compared", whole)
            return nil
        }
        guard case .name(let name) = fieldExpr.kind else {
            error("type-mismatch", "a comparison needs a field on one side", whole)
            return nil
        }
        guard let f = field(name, fieldExpr) else { return nil }
        switch f.type {
        case .number:
            break
        case .bool, .enumeration:
            guard op == .eq || op == .ne else {
                error("type-mismatch", "`\(name)` is \(Self.describe(f.type)); only `==` and `!=` compare it", whole)
                return nil
            }
        case .enumSet:
            error("type-mismatch", "`\(name)` is a set of values; use `has(\(name), Member)`", whole)
            return nil
        case .point:
            error("type-mismatch", "`\(name)` is a position; use `inside(zone)`", whole)
            return nil
        }
        guard let lit = literal(valueExpr, for: f) else { return nil }
        return .compare(f.id, op, lit)
    }

    /// `age(field) op duration`: only an age compared with a duration.
    mutating func ageComparison(_ op: CompareOp, _ args: [Expr], _ call: Expr, _ value: Expr, whole: Expr) -> Condition? {
        guard args.count == 1, case .name(let name) = args[0].kind else {
            error("bad-arguments", "`age` takes one field name", call, notes: ["write `age(field)`"])
            return nil
        }
        guard let f = field(name, args[0]) else { return nil }
        guard case .number(let v, let unit) = value.kind else {
            error("type-mismatch", "`age(\(name))` is a duration; compare it with one, e.g. `age(\(name)) > 12h`", whole)
            return nil
        }
        guard let k = Self.factor(unit, .duration) else {
            if unit == nil {
                error("missing-unit", "a duration needs a unit: s, m (minutes), h or d", value, notes: ["e.g. `\(formatted(v)) h`"])
            } else {
                error("unit-mismatch", "`\(unit!)` does not measure an age; expected s, m (minutes), h or d", value)
            }
            return nil
        }
        guard v >= 0 else {
            error("out-of-range", "an age cannot be negative", value)
            return nil
        }
        return .age(f.id, op, seconds: v * k)
    }

    mutating func membership(_ l: Expr, _ items: [Expr], negated: Bool, whole: Expr) -> Condition? {
        guard case .name(let name) = l.kind else {
            error("type-mismatch", "`in` needs a field on its left", l)
            return nil
        }
        guard let f = field(name, l) else { return nil }
        if case .point = f.type {
            error("type-mismatch", "`\(name)` is a position; use `inside(zone)`", whole)
            return nil
        }
        if case .enumSet = f.type {
            error("type-mismatch", "`\(name)` is a set of values; use `has(\(name), Member)`", whole)
            return nil
        }
        let lits = items.map { literal($0, for: f) }
        guard !lits.contains(where: { $0 == nil }) else { return nil }
        return .member(f.id, lits.map { $0! }, negated: negated)
    }

    static func flipped(_ op: CompareOp) -> CompareOp {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        case .eq, .ne: return op
        }
    }

    static func describe(_ t: ValueType) -> String {
        switch t {
        case .number(let d): return d == .scalar ? "a number" : "a number in \(d.canonicalUnit)"
        case .bool: return "a boolean"
        case .enumeration: return "an enumeration"
        case .enumSet: return "a set of values"
        case .point: return "a position"
        }
    }

    static func example(_ t: ValueType) -> String {
        switch t {
        case .number(let d): return "< 20" + (d.canonicalUnit.isEmpty ? "" : " " + d.canonicalUnit)
        case .enumeration(let members): return "== \(members.first ?? "Member")"
        default: return "== true"
        }
    }
}
