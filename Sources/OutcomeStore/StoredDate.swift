import Foundation
import GRDB
import VehicleData

/// Dates as the store writes them: the text GRDB binds for a `Date`
/// (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond), spelled without
/// `DateFormatter`. GRDB formats each bound `Date` through ICU, which cost ~3 % of the
/// CPU of `vigie serve` on its hot path (BENCHMARKS.md "Serve latency"); the hot
/// statements bind `StoredDate.value(date)` instead, so the stored text — and every
/// comparison against it — is the same.
package enum StoredDate {
    /// GRDB's text for `date`, character for character (tested against it).
    package static func text(_ date: Date) -> String {
        // As Foundation's formatter: milliseconds since 1970, rounded half up, then
        // the calendar fields of that millisecond (ICU floors).
        let millis = Int64(((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down))
        var days = millis / 86_400_000
        var inDay = millis % 86_400_000
        if inDay < 0 { inDay += 86_400_000; days -= 1 }
        let civil = RFC3339Time.civilFromDays(Int(days))
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        // Before 1600 ICU switches to the Julian calendar (1582): GRDB spells those.
        guard (1600...9999).contains(year) else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        let seconds = inDay / 1000
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 23) { buffer in
            func put(_ value: Int64, _ width: Int, at start: Int) {
                var v = value
                for i in stride(from: start + width - 1, through: start, by: -1) {
                    buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: " ")
            put(seconds / 3600, 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(seconds % 60, 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(inDay % 1000, 3, at: 20)
            return String(decoding: UnsafeBufferPointer(buffer), as: UTF8.self)
        }
    }

    /// `text(date)` as a database value, to bind.
    package static func value(_ date: Date) -> DatabaseValue {
        text(date).databaseValue
    }

    /// `value(date)`, or NULL.
    package static func value(_ date: Date?) -> DatabaseValue {
        guard let date else { return .null }
        return value(date)
    }
}
