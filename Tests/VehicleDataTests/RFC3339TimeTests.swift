import Foundation
import VehicleData
import XCTest

/// `RFC3339Time` for dates: the one RFC 3339 reader and writer of the simulator, the log
/// records and the login messages.
final class RFC3339TimeTests: XCTestCase {
    let date = Date(timeIntervalSince1970: 1_772_409_600.25)  // 2026-03-02T00:00:00.250Z

    func testFractionSettings() {
        XCTAssertEqual(RFC3339Time.formatUTC(date, fraction: .never), "2026-03-02T00:00:00Z")
        XCTAssertEqual(RFC3339Time.formatUTC(date, fraction: .whenNonZero), "2026-03-02T00:00:00.250Z")
        XCTAssertEqual(RFC3339Time.formatUTC(date, fraction: .always), "2026-03-02T00:00:00.250Z")
        let whole = Date(timeIntervalSince1970: 1_772_409_600)
        XCTAssertEqual(RFC3339Time.formatUTC(whole, fraction: .whenNonZero), "2026-03-02T00:00:00Z")
        XCTAssertEqual(RFC3339Time.formatUTC(whole, fraction: .always), "2026-03-02T00:00:00.000Z")
        // Truncated toward the past, also before 1970.
        XCTAssertEqual(RFC3339Time.formatUTC(Date(timeIntervalSince1970: -0.5), fraction: .never), "1969-12-31T23:59:59Z")
        XCTAssertEqual(RFC3339Time.formatUTC(Date(timeIntervalSince1970: 59.9999), fraction: .always),
                       "1970-01-01T00:00:59.999Z")
    }

    func testParseDate() {
        XCTAssertEqual(RFC3339Time.parseDate("2026-03-02T00:00:00.250Z"), date)
        XCTAssertEqual(RFC3339Time.parseDate("2026-03-02T01:00:00+01:00"), Date(timeIntervalSince1970: 1_772_409_600))
        XCTAssertNil(RFC3339Time.parseDate("2026-03-02 nope"))
        XCTAssertNil(RFC3339Time.parseDate("2026-02-30T00:00:00Z"))
    }
}
