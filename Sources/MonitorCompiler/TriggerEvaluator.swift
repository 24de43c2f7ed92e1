import Foundation
import StellantisModels
import VehicleData

/// Evaluates monitor triggers the way the API documents them, as states: a zone `In`
/// while the vehicle is within the circle (boundary inside, haversine R = 6371.0088 km),
/// `Out` while outside; a time trigger while the clock is in one of its windows (in its
/// `timeZone`, default `Europe/Paris`); a data trigger while its comparison holds
/// (`onChange`: when the value differs from the previous observation's). Unknown data
/// satisfies no trigger. Independent of rules: the simulator uses it server-side.
public enum TriggerEvaluator {
    public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Whether the monitor's `boolExp` is satisfied.
    public static func isSatisfied(_ monitor: MonitorParameter, in snapshot: MonitorSnapshot) throws -> Bool {
        try isSatisfied(monitor.triggerParam, in: snapshot)
    }

    public static func isSatisfied(_ param: TriggerParam, in snapshot: MonitorSnapshot) throws -> Bool {
        let expression = try BoolExpression.parse(param.boolExp)
        var byName: [String: MonitorTrigger] = [:]
        for t in param.triggers { byName[t.name] = t }
        if let missing = expression.names.subtracting(byName.keys).sorted().first {
            throw EvaluationError(message: "boolExp names \(missing), which is not a trigger")
        }
        return expression.evaluate { isSatisfied(byName[$0]!, in: snapshot) }
    }

    public static func isSatisfied(_ trigger: MonitorTrigger, in s: MonitorSnapshot) -> Bool {
        if let z = trigger.zone { return zone(z, s) }
        if let t = trigger.time { return time(t, s.date) }
        if let d = trigger.data { return data(d, s) }
        return false
    }

    // MARK: - Zones

    static func zone(_ z: ZoneTrigger, _ s: MonitorSnapshot) -> Bool {
        guard let lat = s.latitude, let lon = s.longitude else { return false }
        let d = Geo.distanceMeters(lat1: z.place.center.latitude, lon1: z.place.center.longitude, lat2: lat, lon2: lon)
        let inside = d <= Double(z.place.radius) * 1000
        return z.transition == .in ? inside : !inside
    }

    // MARK: - Time

    static func time(_ t: TimeTrigger, _ date: Date) -> Bool {
        guard let zone = TimeZone(identifier: t.timeZone ?? "Europe/Paris") else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return t.times.contains { entry in
            switch entry.recurrence ?? .daily {
            case .none: return absoluteWindow(entry, date)
            case .daily: return dailyWindow(entry, date, calendar)
            }
        }
    }

    private static func absoluteWindow(_ e: TimeTriggerEntry, _ date: Date) -> Bool {
        guard let start = RFC3339Time.parseDate(e.start), date >= start else { return false }
        guard let d = e.duration, let seconds = ISODuration.seconds(d) else { return true }
        return date < start.addingTimeInterval(seconds)
    }

    /// Inside a window that opened today or on an earlier day (windows may run past midnight).
    private static func dailyWindow(_ e: TimeTriggerEntry, _ date: Date, _ calendar: Calendar) -> Bool {
        guard let start = ISODuration.seconds(e.start), let duration = e.duration.flatMap(ISODuration.seconds) else {
            return false
        }
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let days = e.occurence?.day.map(Set.init)
        let parts = calendar.dateComponents([.hour, .minute, .second, .weekday], from: date)
        let sinceMidnight = Double(parts.hour! * 3600 + parts.minute! * 60 + parts.second!)
        let back = Int((duration + start) / 86_400) + 1
        for k in 0...back {
            let weekday = ((parts.weekday! - 1 - k) % 7 + 7) % 7
            if let days, !days.contains(names[weekday]) { continue }
            let offset = sinceMidnight + Double(k) * 86_400 - start  // seconds since that day's window opened
            if offset >= 0, offset < duration { return true }
        }
        return false
    }

    // MARK: - Data

    static func data(_ d: DataTrigger, _ s: MonitorSnapshot) -> Bool {
        guard let current = s.data[d.data] else { return false }
        let values = d.value ?? []
        switch d.op {
        case .onChange:
            // A first value (none before) counts as a change; without a previous
            // observation at all there is nothing to compare with.
            guard let before = s.previous else { return false }
            return before[d.data] != current
        case .equalsTo:
            guard let v = values.first else { return false }
            return matches(current, v)
        case .includedIn:
            return values.contains { matches(current, $0) }
        case .greaterThan, .lowerThan:
            guard case .number(let x) = current, let v = values.first.flatMap(Double.init) else { return false }
            return d.op == .greaterThan ? x > v : x < v
        }
    }

    /// Equality of a value and a trigger literal: numbers numerically, booleans by
    /// `true`/`false`, strings exactly; a list matches when it holds the literal.
    private static func matches(_ value: MonitorDataValue, _ literal: String) -> Bool {
        switch value {
        case .number(let x): return Double(literal).map { $0 == x } ?? false
        case .bool(let b): return literal == (b ? "true" : "false")
        case .string(let str): return str == literal
        case .list(let items): return items.contains(literal)
        }
    }
}
