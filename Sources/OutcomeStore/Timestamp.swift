import Foundation

/// RFC 3339 instants as Vigie prints and reads them: UTC, `Z`, whole seconds unless
/// the instant has a fraction (then milliseconds, trailing zeros dropped).
public enum Timestamp {
    /// `2026-03-02T22:05:00Z`, or `2026-03-02T22:05:00.25Z` with a fraction.
    public static func format(_ date: Date) -> String {
        let totalMillis = (date.timeIntervalSince1970 * 1000).rounded()
        let millis = Int64(totalMillis)
        let seconds = floorDiv(millis, 1000)
        let fraction = Int(millis - seconds * 1000)
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                          secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        if fraction != 0 {
            var digits = String(format: "%03d", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)` (`t`/`z` and a space separator
    /// accepted); nil when the text is not such an instant.
    public static func parse(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count >= 20 else { return nil }
        guard let year = number(chars, 0, 4), chars[4] == 45,
              let month = number(chars, 5, 2), chars[7] == 45,
              let day = number(chars, 8, 2),
              chars[10] == 84 || chars[10] == 116 || chars[10] == 32,
              let hour = number(chars, 11, 2), chars[13] == 58,
              let minute = number(chars, 14, 2), chars[16] == 58,
              let second = number(chars, 17, 2) else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < chars.count, (48...57).contains(chars[index]) {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard let offset = zoneOffset(chars, from: index) else { return nil }
        let days = days(fromCivil: year, month, day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func zoneOffset(_ chars: [UInt8], from index: Int) -> Int? {
        guard index < chars.count else { return nil }
        if chars[index] == 90 || chars[index] == 122 { return index + 1 == chars.count ? 0 : nil }
        guard chars[index] == 43 || chars[index] == 45, chars.count == index + 6, chars[index + 3] == 58,
              let h = number(chars, index + 1, 2), let m = number(chars, index + 4, 2),
              h < 24, m < 60 else { return nil }
        let sign = chars[index] == 45 ? -1 : 1
        return sign * (h * 3600 + m * 60)
    }

    private static func number(_ chars: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard (48...57).contains(chars[i]) else { return nil }
            value = value * 10 + Int(chars[i] - 48)
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    // Howard Hinnant's days-from-civil / civil-from-days algorithms.
    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
