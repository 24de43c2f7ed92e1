import Foundation
import VehicleData

/// RFC 3339 timestamps as the API writes them (UTC, `Z`, whole seconds), through
/// VehicleData's `RFC3339Time`.
package enum SimTimestamp {
    package static func format(_ date: Date) -> String {
        RFC3339Time.formatUTC(date, fraction: .never)
    }

    /// Parses an RFC 3339 instant, with or without fractional seconds (to the millisecond).
    package static func parse(_ text: String) -> Date? {
        RFC3339Time.parseDate(text)
    }
}
