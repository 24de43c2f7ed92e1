import Foundation
import MonitorCompiler
import RuleLanguage
import VehicleData

/// A vehicle state for the soundness tests: field values (absent = unknown), a
/// position and an instant.
struct OracleState {
    var values: [FieldID: FieldValue] = [:]
    var latitude: Double?
    var longitude: Double?
    var date: Date

    /// The same state as a monitor sees it (keyed by monitor data path).
    func snapshot(previous: OracleState?) -> MonitorSnapshot {
        MonitorSnapshot(date: date, data: Self.data(values), previous: previous.map { Self.data($0.values) },
                        latitude: latitude, longitude: longitude)
    }

    static func data(_ values: [FieldID: FieldValue]) -> [String: MonitorDataValue] {
        var out: [String: MonitorDataValue] = [:]
        for (id, v) in values {
            guard let path = Catalog[id].monitor?.path else { continue }
            switch v {
            case .number(let n): out[path] = .number(n)
            case .bool(let b): out[path] = .bool(b)
            case .member(let m): out[path] = .string(m)
            case .set(let s): out[path] = .list(s)
            case .point: break
            }
        }
        return out
    }
}

/// A straightforward reference evaluation of conditions with Kleene logic
/// (SEMANTICS.md "Truth"), independent of the compiler, for the property tests.
struct ConditionOracle {
    enum Truth { case t, f, u }
    var timeZone: TimeZone

    func eval(_ c: Condition, _ s: OracleState, previous p: OracleState?) -> Truth {
        switch c {
        case .constant(let b): return b ? .t : .f
        case .isTrue(let id):
            guard case .bool(let b)? = s.values[id] else { return .u }
            return b ? .t : .f
        case .compare(let id, let op, let lit):
            guard let v = s.values[id] else { return .u }
            return compare(v, op, lit) ? .t : .f
        case .member(let id, let lits, let negated):
            guard let v = s.values[id] else { return .u }
            return lits.contains { compare(v, .eq, $0) } != negated ? .t : .f
        case .contains(let id, let m):
            guard case .set(let list)? = s.values[id] else { return .u }
            return list.contains(m) ? .t : .f
        case .inside(let z):
            guard let inside = isInside(z, s) else { return .u }
            return inside ? .t : .f
        case .entered(let z), .left(let z):
            let wantInside: Bool
            if case .entered = c { wantInside = true } else { wantInside = false }
            guard let now = isInside(z, s) else { return .f }
            guard let before = p.flatMap({ isInside(z, $0) }) else { return .u }
            return (now == wantInside && before != wantInside) ? .t : .f
        case .changed(let id):
            guard let now = s.values[id], let before = p?.values[id] else { return .f }
            return now != before ? .t : .f
        case .within(let sched): return within(sched, s.date) ? .t : .f
        case .age: return .u   // no data times in the oracle's states: an age is unknown
        case .and(let xs):
            let r = xs.map { eval($0, s, previous: p) }
            return r.contains(.f) ? .f : (r.contains(.u) ? .u : .t)
        case .or(let xs):
            let r = xs.map { eval($0, s, previous: p) }
            return r.contains(.t) ? .t : (r.contains(.u) ? .u : .f)
        case .not(let x):
            switch eval(x, s, previous: p) {
            case .t: return .f
            case .f: return .t
            case .u: return .u
            }
        }
    }

    private func compare(_ v: FieldValue, _ op: CompareOp, _ lit: Literal) -> Bool {
        switch (v, lit) {
        case (.number(let x), .number(let c)):
            switch op {
            case .lt: return x < c
            case .le: return x <= c
            case .gt: return x > c
            case .ge: return x >= c
            case .eq: return x == c
            case .ne: return x != c
            }
        case (.bool(let x), .bool(let c)): return op == .eq ? x == c : x != c
        case (.member(let x), .member(let c)): return op == .eq ? x == c : x != c
        default: return false
        }
    }

    private func isInside(_ z: Zone, _ s: OracleState) -> Bool? {
        guard let lat = s.latitude, let lon = s.longitude else { return nil }
        return Geo.distanceMeters(lat1: z.latitude, lon1: z.longitude, lat2: lat, lon2: lon) <= z.radiusMeters
    }

    /// `[from, to)` on each listed day, wrapping windows belonging to the day they open.
    func within(_ s: Schedule, _ date: Date) -> Bool {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let parts = cal.dateComponents([.weekday, .hour, .minute], from: date)
        let minute = parts.hour! * 60 + parts.minute!
        let today = Weekday(rawValue: (parts.weekday! + 5) % 7 + 1)!
        let yesterday = Weekday(rawValue: (parts.weekday! + 4) % 7 + 1)!
        if s.fromMinute == s.toMinute % 1440, s.toMinute != 1440 || s.fromMinute == 0 {
            return s.days.contains(today)
        }
        if s.fromMinute < s.toMinute { return s.days.contains(today) && minute >= s.fromMinute && minute < s.toMinute }
        return (s.days.contains(today) && minute >= s.fromMinute) || (s.days.contains(yesterday) && minute < s.toMinute)
    }
}
