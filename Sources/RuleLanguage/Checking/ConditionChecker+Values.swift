import VehicleData

extension ConditionChecker {
    /// A literal converted to the field's type and canonical unit.
    mutating func literal(_ e: Expr, for f: Field) -> Literal? {
        switch (f.type, e.kind) {
        case (.number(let dim), .number(let v, let unit)):
            return number(v, unit: unit, dim, f, e)
        case (.bool, .bool(let b)):
            return .bool(b)
        case (.enumeration(let members), .name(let n)), (.enumeration(let members), .string(let n)):
            guard members.contains(n) else {
                error("unknown-member", "`\(n)` is not a value of `\(f.alias)`", e,
                      notes: Suggestion.note(for: n, in: members) + ["values: " + members.joined(separator: ", ")])
                return nil
            }
            return .member(n)
        default:
            error("type-mismatch", "`\(f.alias)` is \(Self.describe(f.type)); it cannot be compared with \(Self.kindOf(e))", e)
            return nil
        }
    }

    static func kindOf(_ e: Expr) -> String {
        switch e.kind {
        case .number: return "a number"
        case .bool: return "a boolean"
        case .string(let s): return "\"\(s)\""
        case .name(let n): return "`\(n)`"
        default: return "a condition"
        }
    }

    /// Unit symbols are read by dimension: `m` is metres for distances, minutes for durations.
    static func factor(_ unit: String?, _ dim: Dimension) -> Double? {
        switch (dim, unit) {
        case (.duration, nil): return nil
        case (_, nil): return 1
        case (.percent, "%"), (.distance, "km"), (.speed, "km/h"), (.temperature, "°C"), (.power, "kW"): return 1
        case (.distance, "m"): return 0.001
        case (.duration, "s"): return 1
        case (.duration, "m"), (.duration, "min"): return 60
        case (.duration, "h"): return 3600
        case (.duration, "d"): return 86400
        default: return nil
        }
    }

    mutating func number(_ v: Double, unit: String?, _ dim: Dimension, _ f: Field, _ e: Expr) -> Literal? {
        guard let k = Self.factor(unit, dim) else {
            if unit == nil {
                error("missing-unit", "a duration needs a unit: s, m (minutes), h or d", e, notes: ["e.g. `\(formatted(v)) m`"])
            } else {
                let expected = dim == .duration ? "s, m (minutes), h or d" : dim.canonicalUnit.isEmpty ? "no unit" : "`\(dim.canonicalUnit)`" + (dim == .distance ? " or `m`" : "")
                error("unit-mismatch", "`\(unit!)` does not measure `\(f.alias)` (\(Self.describe(f.type))); expected \(expected)", e)
            }
            return nil
        }
        let value = v * k
        switch dim {
        case .percent where value < 0 || value > 100:
            error("out-of-range", "\(formatted(v)) % is outside 0–100 %", e)
            return nil
        case .distance, .speed, .duration, .power:
            if value < 0 {
                error("out-of-range", "`\(f.alias)` cannot be negative", e)
                return nil
            }
        default: break
        }
        return .number(value)
    }

    func formatted(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    mutating func call(_ name: String, _ args: [Expr], _ e: Expr) -> Condition? {
        guard Self.functions.contains(name) else {
            error("unknown-function", "unknown function `\(name)`", e,
                  notes: Suggestion.note(for: name, in: Self.functions) + ["functions: " + Self.functions.joined(separator: ", ")])
            return nil
        }
        let arity = name == "has" ? 2 : 1
        guard args.count == arity else {
            let shape = name == "has" ? "has(field, Member)" : name == "changed" ? "changed(field)"
                : name == "within" ? "within(schedule)" : "\(name)(zone)"
            error("bad-arguments", "`\(name)` takes \(arity) argument\(arity == 1 ? "" : "s"), not \(args.count)", e,
                  notes: ["write `\(shape)`"])
            return nil
        }
        if name == "age" {
            error("type-mismatch", "`age(…)` is a duration, not a condition; compare it, e.g. `age(position) > 12h`", e)
            return nil
        }
        switch name {
        case "inside", "entered", "left":
            guard let z = zone(args[0]) else { return nil }
            return name == "inside" ? .inside(z) : name == "entered" ? .entered(z) : .left(z)
        case "within":
            return schedule(args[0]).map { .within($0) }
        case "changed":
            guard case .name(let n) = args[0].kind else {
                error("bad-arguments", "`changed` takes a field name", args[0])
                return nil
            }
            return field(n, args[0]).map { .changed($0.id) }
        default:
            return has(args[0], args[1])
        }
    }

    mutating func has(_ a: Expr, _ b: Expr) -> Condition? {
        guard case .name(let n) = a.kind else {
            error("bad-arguments", "`has` takes a field name first", a)
            return nil
        }
        guard let f = field(n, a) else { return nil }
        guard case .enumSet(let members) = f.type else {
            error("type-mismatch", "`has` needs a set field; `\(n)` is \(Self.describe(f.type))", a)
            return nil
        }
        let member: String
        switch b.kind {
        case .name(let m), .string(let m): member = m
        default:
            error("bad-arguments", "`has` takes a member name second", b)
            return nil
        }
        guard members.contains(member) else {
            error("unknown-member", "`\(member)` is not a value of `\(n)`", b, notes: Suggestion.note(for: member, in: members))
            return nil
        }
        return .contains(f.id, member)
    }

    func argumentName(_ e: Expr) -> String? {
        switch e.kind {
        case .name(let n), .string(let n): return n
        default: return nil
        }
    }

    mutating func zone(_ e: Expr) -> Zone? {
        guard let n = argumentName(e) else {
            error("bad-arguments", "expected a zone name", e)
            return nil
        }
        guard let z = ctx.zones[n] else {
            if ctx.invalidNames.contains(n) { failed = true; return nil }
            error("unknown-zone", "no zone named `\(n)` in this bundle", e, notes: Suggestion.note(for: n, in: ctx.zoneOrder))
            return nil
        }
        ctx.usedZones.insert(n)
        return z
    }

    mutating func schedule(_ e: Expr) -> Schedule? {
        guard let n = argumentName(e) else {
            error("bad-arguments", "expected a schedule name", e)
            return nil
        }
        guard let s = ctx.schedules[n] else {
            if ctx.invalidNames.contains(n) { failed = true; return nil }
            error("unknown-schedule", "no schedule named `\(n)` in this bundle", e,
                  notes: Suggestion.note(for: n, in: ctx.scheduleOrder))
            return nil
        }
        ctx.usedSchedules.insert(n)
        return s
    }
}
