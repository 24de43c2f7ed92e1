import Foundation

/// RFC 3339 timestamps ⇄ milliseconds since the epoch, without Foundation formatters
/// (exact to the millisecond, no locale, fast). Lives here so that the decoders can read
/// the data times of payloads; the engine and everything above name it `RFC3339`.
public enum RFC3339Time {
    /// Parses `2026-03-29T01:30:00Z`, `…T01:30:00.250+02:00` (also `t`/space separator,
    /// lowercase `z`). Fractions beyond milliseconds are truncated. Nil when malformed.
    public static func parse(_ text: String) -> Int64? {
        var p = Cursor(bytes: Array(text.utf8))
        guard let year = p.digits(4), p.eat(UInt8(ascii: "-")), let month = p.digits(2), p.eat(UInt8(ascii: "-")),
              let day = p.digits(2) else { return nil }
        guard let sep = p.next(), sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ")
        else { return nil }
        guard let hour = p.digits(2), p.eat(UInt8(ascii: ":")), let minute = p.digits(2), p.eat(UInt8(ascii: ":")),
              let second = p.digits(2) else { return nil }
        var millis = 0
        if p.eat(UInt8(ascii: ".")) {
            var scale = 100, count = 0
            while let d = p.digit() {
                millis += d * scale
                scale /= 10
                count += 1
            }
            if count == 0 { return nil }
        }
        var offsetSeconds = 0
        guard let zone = p.next() else { return nil }
        if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
            offsetSeconds = 0
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
            guard let oh = p.digits(2), p.eat(UInt8(ascii: ":")), let om = p.digits(2), oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        guard p.atEnd, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1000 + Int64(millis)
    }

    /// `2026-03-29T01:30:00Z`, with `.SSS` only when the milliseconds are not zero.
    public static func formatUTC(_ t: Int64) -> String {
        format(t, offsetSeconds: 0, zulu: true)
    }

    /// The wall-clock time at `offsetSeconds` from UTC, with the offset written `+02:00`
    /// (or `Z` when `zulu` and the offset is zero).
    public static func format(_ t: Int64, offsetSeconds: Int, zulu: Bool = false,
                              fraction: Fraction = .whenNonZero) -> String {
        let local = t + Int64(offsetSeconds) * 1000
        let ms = Int(((local % 1000) + 1000) % 1000)
        let totalSeconds = (local - Int64(ms)) / 1000
        let days = Int(floorDiv(totalSeconds, 86_400))
        let secOfDay = Int(totalSeconds - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        out += pad(secOfDay / 3600, 2) + ":" + pad(secOfDay / 60 % 60, 2) + ":" + pad(secOfDay % 60, 2)
        switch fraction {
        case .never: break
        case .whenNonZero: if ms != 0 { out += "." + pad(ms, 3) }
        case .always: out += "." + pad(ms, 3)
        }
        if zulu && offsetSeconds == 0 { return out + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let a = abs(offsetSeconds)
        return out + sign + pad(a / 3600, 2) + ":" + pad(a / 60 % 60, 2)
    }

    /// Milliseconds in a formatted instant.
    public enum Fraction: Sendable {
        /// None: the instant truncated to the second (`2026-03-29T01:30:00Z`).
        case never
        /// `.SSS` when the milliseconds are not zero.
        case whenNonZero
        /// Always `.SSS` (`2026-03-29T01:30:00.000Z`): log records, fixed width.
        case always
    }

    /// A date in UTC with `Z` (the date truncated to the millisecond, or to the second
    /// with `.never`).
    public static func formatUTC(_ date: Date, fraction: Fraction = .whenNonZero) -> String {
        var t = millis(date)
        if fraction == .never { t = floorDiv(t, 1000) * 1000 }
        return format(t, offsetSeconds: 0, zulu: true, fraction: fraction)
    }

    /// `parse` as a date; nil when malformed.
    public static func parseDate(_ text: String) -> Date? {
        parse(text).map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// Milliseconds since the epoch of a date, truncated toward the past.
    public static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    // MARK: civil calendar (proleptic Gregorian), after H. Hinnant's algorithms

    /// Days since 1970-01-01 of a civil date.
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private struct Cursor {
        let bytes: [UInt8]
        var i = 0
        var atEnd: Bool { i == bytes.count }
        mutating func next() -> UInt8? {
            guard i < bytes.count else { return nil }
            defer { i += 1 }
            return bytes[i]
        }
        mutating func eat(_ b: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == b else { return false }
            i += 1
            return true
        }
        mutating func digit() -> Int? {
            guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
            defer { i += 1 }
            return Int(bytes[i] - 48)
        }
        mutating func digits(_ n: Int) -> Int? {
            var v = 0
            for _ in 0..<n {
                guard let d = digit() else { return nil }
                v = v * 10 + d
            }
            return v
        }
    }
}
