import RuleEngine
import RuleLanguage
import XCTest

final class TimeTests: XCTestCase {
    func testRFC3339RoundTripAndOffsets() {
        XCTAssertEqual(RFC3339.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(RFC3339.parse("2026-03-29T03:30:00+02:00"), RFC3339.parse("2026-03-29T01:30:00Z"))
        XCTAssertEqual(RFC3339.parse("2026-03-29T01:30:00.25Z")! - RFC3339.parse("2026-03-29T01:30:00Z")!, 250)
        XCTAssertEqual(RFC3339.formatUTC(RFC3339.parse("2026-03-29T01:30:00.250Z")!), "2026-03-29T01:30:00.250Z")
        XCTAssertEqual(RFC3339.formatUTC(RFC3339.parse("2024-02-29T23:59:59-00:30")!), "2024-03-01T00:29:59Z")
        for bad in ["2026-02-30T00:00:00Z", "2026-03-29 25:00:00Z", "2026-03-29T01:30:00", "yesterday", "2026-03-29T01:30:00+2"] {
            XCTAssertNil(RFC3339.parse(bad), bad)
        }
    }

    func testWallClockInDSTGapOpensAtFirstInstantAfterTheGap() {
        let paris = ZoneClock(identifier: "Europe/Paris")!
        let day = RFC3339.daysFromCivil(2026, 3, 29)
        // 02:30 does not exist on 2026-03-29 in Paris: the first instant after the gap is 01:00Z (03:00 local).
        XCTAssertEqual(RFC3339.formatUTC(paris.instant(day: day, minute: 150)), "2026-03-29T01:00:00Z")
        XCTAssertEqual(RFC3339.formatUTC(paris.instant(day: day, minute: 120)), "2026-03-29T01:00:00Z")
        XCTAssertEqual(RFC3339.formatUTC(paris.instant(day: day, minute: 180)), "2026-03-29T01:00:00Z")
        XCTAssertEqual(RFC3339.formatUTC(paris.instant(day: day, minute: 60)), "2026-03-29T00:00:00Z")
    }

    func testRepeatedWallClockMeansFirstOccurrence() {
        let paris = ZoneClock(identifier: "Europe/Paris")!
        let day = RFC3339.daysFromCivil(2026, 10, 25)
        // 02:30 happens twice on 2026-10-25: first at 00:30Z (+02:00).
        XCTAssertEqual(RFC3339.formatUTC(paris.instant(day: day, minute: 150)), "2026-10-25T00:30:00Z")
    }

    func testScheduleWindowsWrapAndBelongToTheOpeningDay() {
        let utc = ZoneClock(identifier: "UTC")!
        let fri = Schedule(name: "fri", days: [.fri], fromMinute: 22 * 60, toMinute: 6 * 60)
        // 2026-03-06 is a Friday.
        XCTAssertTrue(utc.within(fri, at: T.at("2026-03-06T22:00:00Z")))
        XCTAssertTrue(utc.within(fri, at: T.at("2026-03-07T05:59:59Z")))
        XCTAssertFalse(utc.within(fri, at: T.at("2026-03-07T06:00:00Z")))
        XCTAssertFalse(utc.within(fri, at: T.at("2026-03-06T05:00:00Z")))  // belongs to Thursday's window: no Thu
        XCTAssertEqual(utc.nextBoundary(of: fri, after: T.at("2026-03-06T22:00:00Z")), T.at("2026-03-07T06:00:00Z"))
        let midnight = Schedule(name: "m", fromMinute: 20 * 60, toMinute: 1440)
        XCTAssertTrue(utc.within(midnight, at: T.at("2026-03-06T23:59:00Z")))
        XCTAssertFalse(utc.within(midnight, at: T.at("2026-03-07T00:00:00Z")))
        let whole = Schedule(name: "w", days: [.sat], fromMinute: 0, toMinute: 0)
        XCTAssertTrue(utc.within(whole, at: T.at("2026-03-07T12:00:00Z")))
        XCTAssertFalse(utc.within(whole, at: T.at("2026-03-08T00:00:00Z")))
    }

    /// `from` = `to` is 24 hours from `from` (SEMANTICS.md), also on the 23- and 25-hour
    /// days of a DST change, where it is not the calendar day.
    func testFromEqualToIsTwentyFourHoursAcrossDSTChanges() {
        let paris = ZoneClock(identifier: "Europe/Paris")!
        let sunday = Schedule(name: "sun", days: [.sun], fromMinute: 0, toMinute: 0)
        // Spring: Sunday 29 March 2026 opens at 00:00 CET (28 March 23:00Z), 23 hours long.
        XCTAssertEqual(paris.window(of: sunday, openingOn: RFC3339.daysFromCivil(2026, 3, 29))?.close,
                       T.at("2026-03-29T23:00:00Z"))   // Monday 01:00 CEST
        XCTAssertTrue(paris.within(sunday, at: T.at("2026-03-29T22:59:59Z")))
        XCTAssertFalse(paris.within(sunday, at: T.at("2026-03-29T23:00:00Z")))
        XCTAssertEqual(paris.nextBoundary(of: sunday, after: T.at("2026-03-29T12:00:00Z")), T.at("2026-03-29T23:00:00Z"))
        // Autumn: Sunday 25 October 2026 opens at 00:00 CEST (24 October 22:00Z), 25 hours long.
        XCTAssertTrue(paris.within(sunday, at: T.at("2026-10-25T21:59:59Z")))
        XCTAssertFalse(paris.within(sunday, at: T.at("2026-10-25T22:00:00Z")))   // Sunday 23:00 CET
        // A wrapping window with from = to at 22:00 on a DST day: 24 hours as well.
        let late = Schedule(name: "late", days: [.sat], fromMinute: 22 * 60, toMinute: 22 * 60)
        XCTAssertEqual(paris.window(of: late, openingOn: RFC3339.daysFromCivil(2026, 3, 28))?.close,
                       T.at("2026-03-29T21:00:00Z"))
        // to = 24:00 stops at midnight, whatever the day's length.
        let toMidnight = Schedule(name: "m", days: [.sun], fromMinute: 0, toMinute: 1440)
        XCTAssertEqual(paris.window(of: toMidnight, openingOn: RFC3339.daysFromCivil(2026, 3, 29))?.close,
                       T.at("2026-03-29T22:00:00Z"))
    }

    func testNextWallClockIsStrictlyAfterAndDSTAware() {
        let paris = ZoneClock(identifier: "Europe/Paris")!
        let at = paris.nextWallClock(after: T.at("2026-03-28T22:00:00Z"), hour: 2, minute: 30)
        XCTAssertEqual(RFC3339.format(at, offsetSeconds: paris.offsetSeconds(at: at)), "2026-03-29T03:00:00+02:00")
        let exact = paris.nextWallClock(after: T.at("2026-01-10T22:30:00Z"), hour: 23, minute: 30)
        XCTAssertEqual(RFC3339.format(exact, offsetSeconds: paris.offsetSeconds(at: exact)), "2026-01-11T23:30:00+01:00")
    }
}
