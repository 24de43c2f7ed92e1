import VehicleData

/// What one conjunction allows for one field: an interval and excluded or allowed
/// points for numbers, a value set for booleans and enums (`nil` in the enum set stands
/// for every observed value outside the documented members).
struct FieldConstraint {
    var low = -Double.infinity, lowStrict = false
    var high = Double.infinity, highStrict = false
    var points: Set<Double>?
    var excludedPoints: Set<Double> = []
    var values: Set<String?>

    init(field: Field) {
        switch field.type {
        case .number(let d):
            switch d {
            case .percent: (low, high) = (0, 100)
            case .distance, .speed, .duration, .power: low = 0
            default: break
            }
            values = []
        case .bool: values = ["true", "false"]
        case .enumeration(let m): values = Set(m.map { Optional($0) }).union([nil])
        default: values = []
        }
        isNumber = { if case .number = field.type { return true } else { return false } }()
    }

    let isNumber: Bool

    var isEmpty: Bool {
        if !isNumber { return values.isEmpty }
        if let points {
            return !points.contains { inInterval($0) && !excludedPoints.contains($0) }
        }
        if low > high || (low == high && (lowStrict || highStrict)) { return true }
        if low == high { return excludedPoints.contains(low) }
        return false
    }

    func inInterval(_ v: Double) -> Bool {
        (lowStrict ? v > low : v >= low) && (highStrict ? v < high : v <= high)
    }

    mutating func add(_ lit: ConditionAnalysis.Lit) {
        switch lit.atom {
        case .isTrue:
            values.formIntersection([lit.positive ? "true" : "false"])
        case .compare(_, let op, let value):
            let effective = lit.positive ? op : Self.negate(op)
            apply(effective, value)
        case .member(_, let list, let negated):
            let keep = lit.positive != negated
            if isNumber {
                let nums = Set(list.compactMap { if case .number(let d) = $0 { return d } else { return nil } })
                if keep { points = points.map { $0.intersection(nums) } ?? nums } else { excludedPoints.formUnion(nums) }
            } else {
                let names = Set(list.map { Optional(Self.name($0)) })
                if keep { values.formIntersection(names) } else { values.subtract(names) }
            }
        default: break
        }
    }

    static func name(_ l: Literal) -> String {
        switch l {
        case .bool(let b): return b ? "true" : "false"
        case .member(let m): return m
        case .number(let d): return "\(d)"
        }
    }

    static func negate(_ op: CompareOp) -> CompareOp {
        switch op {
        case .lt: return .ge
        case .le: return .gt
        case .gt: return .le
        case .ge: return .lt
        case .eq: return .ne
        case .ne: return .eq
        }
    }

    mutating func apply(_ op: CompareOp, _ value: Literal) {
        guard case .number(let v) = value else {
            let n = Optional(Self.name(value))
            if op == .eq { values.formIntersection([n]) } else if op == .ne { values.remove(n) }
            return
        }
        switch op {
        case .lt, .le:
            if v < high || (v == high && op == .lt) { high = v; highStrict = op == .lt }
        case .gt, .ge:
            if v > low || (v == low && op == .gt) { low = v; lowStrict = op == .gt }
        case .eq:
            points = points.map { $0.intersection([v]) } ?? [v]
        case .ne:
            excludedPoints.insert(v)
        }
    }
}
