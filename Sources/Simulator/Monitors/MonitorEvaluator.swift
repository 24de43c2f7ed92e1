import Foundation

/// The server-side life of a monitor on one vehicle: triggers are states (zone `In`
/// while inside, `Out` while outside, time inside a window, data while the comparison
/// holds; `onChange` only at the evaluation that sees the change); the monitor notifies
/// when `boolExp` becomes satisfied and again every `refreshEvent` seconds while it stays.
package struct MonitorRuntime: Sendable, Hashable {
    package var satisfied = false
    package var lastNotified: Date?
    package var lastValues: [String: DataPaths.Value] = [:]
    package init() {}
}

package enum MonitorEvaluator {
    package struct Outcome: Sendable, Hashable {
        package var refresh: Bool
        /// The data triggers' current values, for the message's `values`.
        package var values: [(path: String, value: DataPaths.Value)]

        package static func == (a: Outcome, b: Outcome) -> Bool {
            a.refresh == b.refresh && a.values.map(\.path) == b.values.map(\.path) && a.values.map(\.value) == b.values.map(\.value)
        }
        package func hash(into h: inout Hasher) { h.combine(refresh); h.combine(values.map(\.path)) }
    }

    /// Evaluates `spec` on `vehicle` at `now`, updating `runtime`; returns the notification
    /// to send, if any.
    package static func evaluate(_ spec: MonitorSpec, on vehicle: SimVehicle, at now: Date,
                                runtime: inout MonitorRuntime) -> Outcome? {
        var current: [String: DataPaths.Value] = [:]
        var truth: [String: Bool] = [:]
        for t in spec.triggers {
            truth[t.name] = holds(t.kind, vehicle: vehicle, at: now, previous: runtime.lastValues, current: &current)
        }
        runtime.lastValues.merge(current) { _, new in new }
        let satisfied = spec.boolExp.evaluate { truth[$0] ?? false }
        defer { runtime.satisfied = satisfied }
        guard satisfied else { return nil }
        let values = spec.triggers.compactMap { t -> (String, DataPaths.Value)? in
            guard case .data(let path, _, _) = t.kind, let v = current[path] else { return nil }
            return (path, v)
        }
        if !runtime.satisfied {
            runtime.lastNotified = now
            return Outcome(refresh: false, values: values)
        }
        if let every = spec.refreshEvent, let last = runtime.lastNotified, now.timeIntervalSince(last) >= every {
            runtime.lastNotified = now
            return Outcome(refresh: true, values: values)
        }
        return nil
    }

    /// Seeds `onChange` memory without notifying about changes before the monitor existed.
    package static func prime(_ spec: MonitorSpec, on vehicle: SimVehicle, runtime: inout MonitorRuntime) {
        for t in spec.triggers {
            if case .data(let path, _, _) = t.kind, let v = DataPaths.value(path, of: vehicle) { runtime.lastValues[path] = v }
        }
    }

    static func holds(_ kind: MonitorSpec.Kind, vehicle: SimVehicle, at now: Date,
                      previous: [String: DataPaths.Value], current: inout [String: DataPaths.Value]) -> Bool {
        switch kind {
        case .zone(let inside, let center, let radius):
            let isInside = vehicle.reported.position.distanceKm(to: center) <= radius
            return inside == isInside
        case .time(let windows, let tz):
            return windows.contains { within($0, now, tz) }
        case .data(let path, let op, let values):
            guard let value = DataPaths.value(path, of: vehicle) else { return false }
            current[path] = value
            return compare(value, op: op, values: values, previous: previous[path])
        }
    }

    static func compare(_ value: DataPaths.Value, op: String, values: [String], previous: DataPaths.Value?) -> Bool {
        switch op {
        case "onChange": return previous != nil && previous != value
        case "includedIn": return values.contains { equals(value, $0) }
        case "equalsTo": return equals(value, values[0])
        case "greaterThan", "lowerThan":
            guard case .number(let x) = value, let bound = Double(values[0]) else { return false }
            return op == "greaterThan" ? x > bound : x < bound
        default: return false
        }
    }

    static func equals(_ value: DataPaths.Value, _ literal: String) -> Bool {
        switch value {
        case .number(let x): return Double(literal) == x
        case .text(let s): return s.caseInsensitiveCompare(literal) == .orderedSame
        }
    }

    static func within(_ w: MonitorSpec.TimeWindow, _ now: Date, _ tz: TimeZone) -> Bool {
        switch w.start {
        case .absolute(let start):
            guard now >= start else { return false }
            return w.duration.map { now < start.addingTimeInterval($0) } ?? true
        case .daily(let offset, let days, let weeks):
            var cal = Calendar(identifier: .iso8601)
            cal.timeZone = tz
            let duration = w.duration ?? 0
            // A window opened on this day or on one of the previous days may still run.
            let spanDays = Int((offset + duration) / 86400) + 1
            for back in 0...spanDays {
                guard let day = cal.date(byAdding: .day, value: -back, to: cal.startOfDay(for: now)) else { continue }
                let open = day.addingTimeInterval(offset)
                guard days.contains(cal.component(.weekday, from: day)) else { continue }
                if let weeks, !weeks.contains(cal.component(.weekOfYear, from: day)) { continue }
                if now >= open && now < open.addingTimeInterval(duration) { return true }
            }
            return false
        }
    }
}
