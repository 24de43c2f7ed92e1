import Foundation
import VehicleData

/// RFC 3339 instants as Vigie prints and reads them, spelled exactly like the engine's
/// decisions (`RFC3339Time` of VehicleData, which the engine names `RFC3339`): UTC with
/// `Z`, milliseconds only when non-zero.
package enum Timestamp {
    /// `2026-03-02T22:05:00Z`, or `2026-03-02T22:05:00.250Z` with a fraction.
    package static func format(_ date: Date) -> String {
        RFC3339Time.formatUTC(millis(date))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`; nil when the text is not such an instant.
    package static func parse(_ text: String) -> Date? {
        RFC3339Time.parse(text).map(date)
    }

    /// Milliseconds since the epoch for a date (rounded to the nearest millisecond): the
    /// engine's `Millis`.
    package static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    package static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
