import Foundation
import RuleLanguage

/// Wall-clock arithmetic in one IANA time zone, DST-correct (SEMANTICS.md): local
/// days, weekdays, resolving a wall-clock time on a day (a time in a DST gap opens at
/// the first instant after the gap; a repeated one means its first occurrence), and
/// schedule windows. Offsets come from Foundation's `TimeZone`; the calendar
/// arithmetic on local seconds is exact (proleptic Gregorian, no leap seconds).
public struct ZoneClock: Sendable {
    public let timeZone: TimeZone

    public init?(identifier: String) {
        guard let tz = identifier == "UTC" ? TimeZone(identifier: "UTC") : TimeZone(identifier: identifier) else { return nil }
        self.timeZone = tz
    }

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// Seconds east of UTC at instant `t`.
    public func offsetSeconds(at t: Millis) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(RFC3339.floorDiv(t, 1000))))
    }

    /// The local calendar day of `t`, as days since 1970-01-01.
    public func day(of t: Millis) -> Int {
        let local = RFC3339.floorDiv(t, 1000) + Int64(offsetSeconds(at: t))
        return Int(RFC3339.floorDiv(local, 86_400))
    }

    /// Monday = 1 … Sunday = 7 of a local day number (1970-01-01 was a Thursday).
    public static func weekday(ofDay day: Int) -> Weekday {
        let r = ((day + 3) % 7 + 7) % 7 // Monday = 0
        return Weekday(rawValue: r + 1)!
    }

    /// The instant of wall-clock `minute` (0…1440; 1440 = next midnight) on local `day`.
    public func instant(day: Int, minute: Int) -> Millis {
        let local = Int64(day) * 86_400 + Int64(minute) * 60 // seconds, wall clock read as UTC
        let before = offset(seconds: local - 86_400)
        let after = offset(seconds: local + 86_400)
        var best: Int64?
        for off in Set([before, after]) {
            let candidate = local - Int64(off)
            if Int64(offset(seconds: candidate)) + candidate == local {
                best = min(best ?? candidate, candidate)
            }
        }
        if let best { return best * 1000 }
        // In a gap: the first instant after it is the transition itself, between the two
        // candidates (offset `before` on its left, `after` from it on).
        var lo = local - Int64(after), hi = local - Int64(before)
        if lo > hi { swap(&lo, &hi) }
        let target = offset(seconds: hi)
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if offset(seconds: mid) == target { hi = mid } else { lo = mid }
        }
        return hi * 1000
    }

    private func offset(seconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// `[start, end)` of the local day holding `t`, in milliseconds.
    public func dayBounds(of t: Millis) -> (day: Int, start: Millis, end: Millis) {
        let d = day(of: t)
        return (d, instant(day: d, minute: 0), instant(day: d + 1, minute: 0))
    }

    /// The first wall-clock `hour:minute` strictly after `t`.
    public func nextWallClock(after t: Millis, hour: Int, minute: Int) -> Millis {
        var d = day(of: t) - 1
        while true {
            let candidate = instant(day: d, minute: hour * 60 + minute)
            if candidate > t { return candidate }
            d += 1
        }
    }

    // MARK: schedules

    /// The windows `[open, close)` of `schedule` that open on local `day` (none when the
    /// day is not one of its days).
    public func window(of schedule: Schedule, openingOn day: Int) -> (open: Millis, close: Millis)? {
        guard schedule.days.contains(ZoneClock.weekday(ofDay: day)) else { return nil }
        let open = instant(day: day, minute: schedule.fromMinute)
        let to = schedule.toMinute
        // `from` = `to` is 24 hours from `from` (SEMANTICS.md), also on a 23- or 25-hour day.
        if to == schedule.fromMinute { return (open, open + 86_400_000) }
        let close = to < schedule.fromMinute ? instant(day: day + 1, minute: to) : instant(day: day, minute: to)
        return (open, close)
    }

    /// Whether `t` lies in a window of `schedule` (computed from scratch).
    public func within(_ schedule: Schedule, at t: Millis) -> Bool {
        let d = day(of: t)
        for candidate in (d - 2)...d {
            if let w = window(of: schedule, openingOn: candidate), w.open <= t, t < w.close { return true }
        }
        return false
    }

    /// The first instant strictly after `t` at which `within(schedule)` may change
    /// (a window opens or closes), or nil when the schedule has no days.
    public func nextBoundary(of schedule: Schedule, after t: Millis) -> Millis? {
        guard !schedule.days.isEmpty else { return nil }
        let d = day(of: t)
        var best: Millis?
        for candidate in (d - 2)...(d + 8) {
            guard let w = window(of: schedule, openingOn: candidate) else { continue }
            for edge in [w.open, w.close] where edge > t {
                best = min(best ?? edge, edge)
            }
        }
        return best
    }
}
