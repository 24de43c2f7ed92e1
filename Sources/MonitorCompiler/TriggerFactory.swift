import Foundation
import RuleLanguage
import StellantisModels
import VehicleData

/// Builds the trigger literals for one condition literal: data triggers with the right
/// op, value and strictness, zone triggers with radii rounded the safe way, `Daily` time
/// triggers for schedules. Says whether the mapping is exact, approximate (weaker than
/// the literal) or impossible (the literal is weakened to `true`).
struct TriggerFactory {
    enum Mapped {
        case exact(TriggerFormula)
        case approximate(TriggerFormula, String)
        case weakened(String)

        var formula: TriggerFormula {
            switch self {
            case .exact(let f), .approximate(let f, _): return f
            case .weakened: return .constant(true)
            }
        }
    }

    /// The bundle's time zone as the API wants it (`Area/City`, `Etc/UTC`), or nil.
    let apiTimeZone: String?
    let bundleTimeZone: String

    init(bundleTimeZone: String) {
        self.bundleTimeZone = bundleTimeZone
        self.apiTimeZone = Self.apiTimeZone(for: bundleTimeZone)
    }

    /// `UTC`/`GMT`/`Z` → `Etc/UTC`; an `Area/City` name as is; anything else nil (the API's
    /// `timeZone` pattern `\w?/\w?` needs a slash).
    static func apiTimeZone(for name: String) -> String? {
        switch name {
        case "UTC", "GMT", "Z", "Etc/UTC", "Etc/GMT", "Universal", "Zulu": return "Etc/UTC"
        default: return name.contains("/") ? name : nil
        }
    }

    // MARK: - Data triggers

    func compare(_ id: FieldID, _ op: CompareOp, _ lit: Literal) -> Mapped {
        let field = Catalog[id]
        guard let support = field.monitor else { return .weakened("no monitor can watch \(field.alias)") }
        if support.ops == [.onChange] { return .weakened("\(support.path) only reports changes") }
        switch lit {
        case .bool(let b):
            let value = (op == .eq) == b
            return equality(support, field, [value ? "true" : "false"], positive: true)
        case .member(let m):
            return equality(support, field, [m], positive: op == .eq)
        case .number(let c):
            return number(support, field, op, c)
        }
    }

    private func equality(_ s: MonitorSupport, _ field: Field, _ values: [String], positive: Bool) -> Mapped {
        if values.count == 1, s.ops.contains(.equalsTo) {
            return .exact(atom(s.path, .equalsTo, values, positive))
        }
        if s.ops.contains(.includedIn) {
            return .exact(atom(s.path, .includedIn, values, positive))
        }
        if s.ops.contains(.equalsTo) {
            let parts = values.map { atom(s.path, .equalsTo, [$0], positive) }
            return .exact(positive ? .or(parts) : .and(parts))
        }
        return .weakened("\(s.path) accepts no equalsTo/includedIn")
    }

    /// Whole-number thresholds chosen so that the rule's comparison implies the trigger's
    /// for any reading, fractional ones included: `< c` → `lowerThan ⌈c⌉`, `<= c` →
    /// `lowerThan ⌊c⌋+1`, `> c` → `greaterThan ⌊c⌋`, `>= c` → `greaterThan ⌈c⌉-1`.
    private func number(_ s: MonitorSupport, _ field: Field, _ op: CompareOp, _ c: Double) -> Mapped {
        let whole = c.rounded() == c
        switch op {
        case .lt, .le, .gt, .ge:
            let isLower = op == .lt || op == .le
            let apiOp: DataTrigger.Op = isLower ? .lowerThan : .greaterThan
            guard s.ops.contains(MonitorOp(rawValue: apiOp.rawValue)!) else { return .weakened("\(s.path) accepts no \(apiOp.rawValue)") }
            let v: Double
            switch op {
            case .lt: v = c.rounded(.up)
            case .le: v = c.rounded(.down) + 1
            case .gt: v = c.rounded(.down)
            default: v = c.rounded(.up) - 1
            }
            let f = atom(s.path, apiOp, [Self.format(v)], true)
            let strict = op == .lt || op == .gt
            if field.isIntegral || (whole && strict) { return .exact(f) }
            return .approximate(f, "\(apiOp.rawValue) \(Self.format(v)) lets fractional readings through")
        case .eq:
            if whole, s.ops.contains(.equalsTo) { return .exact(atom(s.path, .equalsTo, [Self.format(c)], true)) }
            guard s.ops.contains(.greaterThan), s.ops.contains(.lowerThan) else {
                return .weakened("\(s.path) cannot bracket \(Self.format(c))")
            }
            let range = TriggerFormula.and([
                atom(s.path, .greaterThan, [Self.format(c.rounded(.up) - 1)], true),
                atom(s.path, .lowerThan, [Self.format(c.rounded(.down) + 1)], true),
            ])
            return .approximate(range, "bracketed by whole numbers")
        case .ne:
            if whole, s.ops.contains(.equalsTo) { return .exact(atom(s.path, .equalsTo, [Self.format(c)], false)) }
            return .weakened("a fractional value cannot be excluded by whole-number triggers")
        }
    }

    func member(_ id: FieldID, _ lits: [Literal], negated: Bool) -> Mapped {
        let field = Catalog[id]
        guard let support = field.monitor else { return .weakened("no monitor can watch \(field.alias)") }
        if lits.isEmpty { return .exact(.constant(negated)) }
        if case .number = lits[0] {
            let parts = lits.map { compare(id, negated ? .ne : .eq, $0) }
            let formulas = parts.map(\.formula)
            let combined: TriggerFormula = negated ? .and(formulas) : .or(formulas)
            let notes = parts.compactMap { p -> String? in
                switch p {
                case .exact: return nil
                case .approximate(_, let why), .weakened(let why): return why
                }
            }
            return notes.isEmpty ? .exact(combined) : .approximate(combined, notes.joined(separator: "; "))
        }
        let values = lits.map { lit -> String in
            switch lit {
            case .bool(let b): return b ? "true" : "false"
            case .member(let m): return m
            case .number(let n): return Self.format(n)
            }
        }
        return equality(support, field, values, positive: !negated)
    }

    /// `has(alerts, M)`: `equalsTo [M]` on a list path holds while the list contains M.
    func contains(_ id: FieldID, _ member: String, positive: Bool) -> Mapped {
        let field = Catalog[id]
        guard let s = field.monitor, s.ops.contains(.equalsTo) else {
            return .weakened("no monitor can watch \(field.alias)")
        }
        return .exact(atom(s.path, .equalsTo, [member], positive))
    }

    func onChange(_ id: FieldID) -> Mapped {
        let field = Catalog[id]
        guard let s = field.monitor, s.ops.contains(.onChange) else {
            return .weakened("no onChange monitor for \(field.alias)")
        }
        return .approximate(atom(s.path, .onChange, nil, true), "onChange")
    }

    func atom(_ path: String, _ op: DataTrigger.Op, _ values: [String]?, _ positive: Bool) -> TriggerFormula {
        .atom(.data(DataTrigger(data: path, op: op, value: values)), positive: positive)
    }

    // MARK: - Zones and schedules

    /// `inside(z)` → `In` with the radius rounded up; outside → `Out` rounded down (a zone
    /// under 1 km cannot be watched from outside).
    func zone(_ z: Zone, inside: Bool) -> Mapped {
        let km = z.radiusMeters / 1000
        let center = ZoneTrigger.Center(latitude: z.latitude, longitude: z.longitude)
        let radius = inside ? max(1, Int(km.rounded(.up))) : Int(km.rounded(.down))
        if radius < 1 { return .weakened("zone \(z.name) is under 1 km: cannot be watched from outside") }
        let trigger = ZoneTrigger(transition: inside ? .in : .out, place: .init(center: center, radius: radius))
        let f = TriggerFormula.atom(.zone(trigger), positive: true)
        if Double(radius) == km { return .exact(f) }
        return .approximate(f, "radius \(Self.format(km)) km rounded \(inside ? "up" : "down") to \(radius) km")
    }

    /// `within(s)` → a `Daily` time trigger (`start` from midnight, `duration`, days) in the
    /// bundle's zone; outside the schedule → its negation.
    func schedule(_ s: Schedule, active: Bool) -> Mapped {
        if s.days.isEmpty { return .exact(.constant(!active)) }
        guard let tz = apiTimeZone else {
            return .weakened("time zone \(bundleTimeZone) has no Area/City name for the API")
        }
        let length = s.fromMinute == s.toMinute % 1440 ? 1440 : ((s.toMinute - s.fromMinute) % 1440 + 1440) % 1440
        let entry = TimeTriggerEntry(recurrence: .daily, start: Self.isoDuration(minutes: s.fromMinute),
                                     duration: Self.isoDuration(minutes: length == 0 ? 1440 : length),
                                     occurence: .init(day: s.days.sorted().map(\.name)))
        return .exact(.atom(.time(TimeTrigger(times: [entry], timeZone: tz)), positive: active))
    }

    /// `PT22H30M`, `PT6H`, `PT45M`, `PT0H`, `PT24H`.
    static func isoDuration(minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        if m == 0 { return "PT\(h)H" }
        if h == 0 { return "PT\(m)M" }
        return "PT\(h)H\(m)M"
    }

    /// Shortest text for a number: `20`, `-5`, `19.5`.
    static func format(_ n: Double) -> String {
        if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }
}
