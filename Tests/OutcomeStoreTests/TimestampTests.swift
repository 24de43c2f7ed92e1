import Foundation
import OutcomeStore
import XCTest

final class TimestampTests: XCTestCase {
    func testFormatsUTCWithOptionalMilliseconds() {
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_772_488_800)), "2026-03-02T22:00:00Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_772_488_800.25)), "2026-03-02T22:00:00.250Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59Z")
    }

    func testParsesOffsetsAndFractions() {
        XCTAssertEqual(Timestamp.parse("2026-03-02T22:00:00Z")?.timeIntervalSince1970, 1_772_488_800)
        XCTAssertEqual(Timestamp.parse("2026-03-02T23:00:00+01:00")?.timeIntervalSince1970, 1_772_488_800)
        XCTAssertEqual(Timestamp.parse("2026-03-02T21:30:00-00:30")?.timeIntervalSince1970, 1_772_488_800)
        XCTAssertEqual(Timestamp.parse("2026-03-02t22:00:00.5z")?.timeIntervalSince1970, 1_772_488_800.5)
        XCTAssertEqual(Timestamp.parse("2026-03-02 22:00:00Z")?.timeIntervalSince1970, 1_772_488_800)
    }

    func testRejectsWhatIsNotAnInstant() {
        for text in ["", "2026-03-02", "2026-03-02T22:00:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                     "2026-03-02T24:00:00Z", "2026-03-02T22:00:00+0100", "2026-03-02T22:00:00.Z", "2026-03-02T22:00:00Zjunk"] {
            XCTAssertNil(Timestamp.parse(text), text)
        }
    }

    func testRoundTrip() {
        for seconds in stride(from: -86_400.0 * 400, to: 86_400.0 * 40_000, by: 86_400 * 97.123) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            XCTAssertEqual(Timestamp.parse(Timestamp.format(date))?.timeIntervalSince1970 ?? .nan,
                           date.timeIntervalSince1970, accuracy: 0.0005)
        }
    }
}
