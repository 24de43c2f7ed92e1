import Foundation
import RuleEngine

/// RFC 3339 instants as Vigie prints and reads them, spelled exactly like the engine's
/// decisions (`RFC3339` of RuleEngine): UTC with `Z`, milliseconds only when non-zero.
public enum Timestamp {
    /// `2026-03-02T22:05:00Z`, or `2026-03-02T22:05:00.250Z` with a fraction.
    public static func format(_ date: Date) -> String {
        RFC3339.formatUTC(millis(date))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; nil when the text is not such an instant.
    public static func parse(_ text: String) -> Date? {
        RFC3339.parse(text).map(date)
    }

    /// The engine's milliseconds for a date (rounded to the nearest millisecond).
    public static func millis(_ date: Date) -> Millis {
        Millis((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(_ millis: Millis) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
