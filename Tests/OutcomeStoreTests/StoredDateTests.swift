import Foundation
import GRDB
import OutcomeStore
import XCTest

/// `StoredDate` spells dates exactly as GRDB binds them (its `DateFormatter`), so rows the
/// hot statements write, and the comparisons they make, are those of before.
final class StoredDateTests: XCTestCase {
    private static func grdb(_ date: Date) -> String? { String.fromDatabaseValue(date.databaseValue) }

    func testSpellsDatesAsGRDBDoes() {
        var generator = SystemRandomNumberGenerator()
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0004), Date(timeIntervalSince1970: -1),
            Date(timeIntervalSince1970: 951_782_400),              // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.9996),       // just before 2100-03-01
            Date(timeIntervalSince1970: 1_796_601_599.9995),       // rounds up into the next day
            Date(timeIntervalSince1970: 1_796_601_599.9994999),
            Date(timeIntervalSince1970: 1_765_000_000.0005), Date(timeIntervalSince1970: 1_765_000_000.0015),
            Date(timeIntervalSince1970: -62_135_596_800),          // year 1 (ICU's Julian calendar)
            Date(timeIntervalSince1970: -11_676_096_000),          // 1600-01-01
            Date(),
        ]
        for _ in 0..<20_000 {
            // Any instant of years 1900–2200, to the microsecond and to the odd fraction.
            let seconds = Double.random(in: -2_208_988_800 ... 7_258_118_400, using: &generator)
            dates.append(Date(timeIntervalSince1970: seconds))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000 + 0.0005))
            dates.append(Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000))
        }
        for date in dates {
            XCTAssertEqual(StoredDate.text(date), Self.grdb(date), "\(date.timeIntervalSince1970)")
        }
    }

    func testValueIsTextAndNilIsNull() {
        let date = Date(timeIntervalSince1970: 1_765_000_123.456)
        XCTAssertEqual(StoredDate.value(date), date.databaseValue)
        XCTAssertEqual(StoredDate.value(nil as Date?), .null)
        XCTAssertEqual(StoredDate.text(date), "2025-12-06 05:48:43.456")
    }
}
