import Foundation
import OutcomeStore
import Simulator
import VehicleData
import XCTest
@testable import VigieRuntime

/// Issue 19 part 5: budgets count per calendar day — and the wake-up cap per calendar
/// month — in `budgets.timezone` (docs/configuration.md `budgets:`, docs/serve.md).
final class BudgetCalendarTests: XCTestCase {
    /// What was sent to one vehicle: `(instant, isWakeUp)`.
    private struct Sent {
        var items: [(Date, Bool)] = []
        func count(_ from: Date, _ to: Date) -> (commands: Int, wakeUps: Int) {
            let inside = items.filter { $0.0 >= from && $0.0 < to }
            return (inside.count, inside.filter(\.1).count)
        }
    }

    private static func utc(_ text: String) -> Date { Timestamp.parse(text)! }

    private static func item(wakeUp: Bool) -> DispatchItem {
        DispatchItem(outboxId: 1, actionId: 1, firingId: 1, vin: "V1", bundle: "b", rule: "r",
                     body: wakeUp ? #"{"wakeUp":{"action":"WakeUp"}}"# : #"{"horn":{"state":"Activated"}}"#,
                     decidedAt: Date(timeIntervalSince1970: 0), status: .queued, attempts: 0, remoteActionId: nil,
                     sentAt: nil, attemptStartedAt: nil)
    }

    private static func budget(_ zone: String, perDay: Int = 2, perMonth: Int? = nil) -> DispatchBudget {
        DispatchBudget(commandsPerDay: 10, wakeUpsPerDay: perDay, wakeUpsPerMonth: perMonth,
                       timeZone: TimeZone(identifier: zone)!)
    }

    func testTheDailyWakeUpBudgetRenewsAtMidnightInTheBudgetsTimeZone() throws {
        // Two wake-ups at 23:30 and 23:40 in Paris (UTC+1 in December) on December 6.
        let sent = Sent(items: [(Self.utc("2026-12-06T22:30:00Z"), true), (Self.utc("2026-12-06T22:40:00Z"), true)])
        let clock = ManualClock(Self.utc("2026-12-06T22:50:00Z"))
        let paris = Self.budget("Europe/Paris")
        XCTAssertEqual(paris.check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count), .wakeUps)
        XCTAssertNil(paris.check(Self.item(wakeUp: false), now: clock.now(), sent: sent.count),
                     "a command that is no wake-up still has its own budget")
        clock.advance(by: 20 * 60)                      // 00:10 on December 7 in Paris, 23:10 UTC
        XCTAssertNil(paris.check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count), "a new day in Paris")
        XCTAssertEqual(Self.budget("UTC").check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count), .wakeUps,
                       "still December 6 in UTC")
        XCTAssertEqual(paris.day(of: clock.now()).start, Self.utc("2026-12-06T23:00:00Z"))
        XCTAssertEqual(paris.day(of: clock.now()).end, Self.utc("2026-12-07T23:00:00Z"))
    }

    func testADaylightSavingDayIsTheCalendarDay() {
        // 2026-03-29 in Paris has 23 hours (clocks go from 02:00 to 03:00).
        let day = Self.budget("Europe/Paris").day(of: Self.utc("2026-03-29T12:00:00Z"))
        XCTAssertEqual(day.start, Self.utc("2026-03-28T23:00:00Z"))
        XCTAssertEqual(day.end, Self.utc("2026-03-29T22:00:00Z"))
    }

    func testTheMonthlyWakeUpCapCountsTheCalendarMonthInTheBudgetsTimeZone() {
        // One wake-up a day on November 28, 29 and 30: the daily budget (2) is never reached.
        let sent = Sent(items: ["2026-11-28T10:00:00Z", "2026-11-29T10:00:00Z", "2026-11-30T10:00:00Z"]
            .map { (Self.utc($0), true) })
        let clock = ManualClock(Self.utc("2026-11-30T22:30:00Z"))   // 23:30 on November 30 in Paris
        let paris = Self.budget("Europe/Paris", perMonth: 3)
        XCTAssertEqual(paris.check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count), .wakeUpsPerMonth)
        XCTAssertNil(paris.check(Self.item(wakeUp: false), now: clock.now(), sent: sent.count),
                     "the monthly cap only holds wake-ups")
        XCTAssertNil(Self.budget("Europe/Paris", perMonth: 4).check(Self.item(wakeUp: true), now: clock.now(),
                                                                    sent: sent.count))
        clock.advance(by: 3600)                          // 00:30 on December 1 in Paris
        XCTAssertNil(paris.check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count), "a new month in Paris")
        XCTAssertEqual(paris.month(of: clock.now()).start, Self.utc("2026-11-30T23:00:00Z"))
        XCTAssertEqual(Self.budget("UTC", perMonth: 3).check(Self.item(wakeUp: true), now: clock.now(), sent: sent.count),
                       .wakeUpsPerMonth, "still November in UTC")
        XCTAssertEqual(DispatchBudget.Exceeded.wakeUpsPerMonth.detail(limit: 3), "monthly wake-up budget of 3 spent")
    }

    func testTheDailyWakeUpBudgetIsCheckedBeforeTheMonthlyCap() {
        let sent = Sent(items: [(Self.utc("2026-11-30T08:00:00Z"), true), (Self.utc("2026-11-30T09:00:00Z"), true)])
        let budget = Self.budget("UTC", perDay: 2, perMonth: 2)
        XCTAssertEqual(budget.check(Self.item(wakeUp: true), now: Self.utc("2026-11-30T10:00:00Z"), sent: sent.count),
                       .wakeUps)
    }

    func testAMonthlyStopIsJournalledApartFromTheDailyOne() throws {
        let db = try OutcomeDatabase.inMemory()
        let guardrail = SafetyFixtures.makeGuard(database: db)
        let day = Self.utc("2026-11-30T00:00:00Z")
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(3600), detail: "daily commands budget of 10 spent")
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(7200), detail: "monthly wake-up budget of 3 spent")
        guardrail.recordBudgetStop(vin: "V1", at: day.addingTimeInterval(9000), detail: "monthly wake-up budget of 3 spent")
        XCTAssertEqual(try db.controlEvents().map(\.detail),
                       ["daily commands budget of 10 spent", "monthly wake-up budget of 3 spent"])
    }

    // MARK: vigie.yaml

    func testBudgetsTimeZoneAndMonthlyCapAreReadWithDocumentedDefaults() throws {
        let folder = try ConfigFolder()
        defer { folder.remove() }
        let plain = try folder.load(ConfigFolder.minimal)
        XCTAssertEqual(plain.budgets.timeZone, "UTC")
        XCTAssertNil(plain.budgets.wakeUpsPerMonth)
        XCTAssertNil(RuntimeSettings(config: plain).wakeUpsPerMonth)
        XCTAssertEqual(RuntimeSettings(config: plain).budgetTimeZone, TimeZone(identifier: "UTC"))
        let config = try folder.load(ConfigFolder.minimal + """
            budgets: {wake_ups_per_month: 20, timezone: Europe/Paris}

            """)
        XCTAssertEqual(config.budgets, VigieConfig.Budgets(commandsPerDay: 10, wakeUpsPerDay: 2, wakeUpsPerMonth: 20,
                                                           timeZone: "Europe/Paris"))
        let settings = RuntimeSettings(config: config)
        XCTAssertEqual(settings.wakeUpsPerMonth, 20)
        XCTAssertEqual(settings.budgetTimeZone.identifier, "Europe/Paris")
    }

    func testAnUnknownBudgetsTimeZoneIsRefusedWithItsPosition() throws {
        let folder = try ConfigFolder()
        defer { folder.remove() }
        for zone in ["Mars/Olympus", "CET"] {
            let error = try folder.refuse(ConfigFolder.minimal + """
                budgets:
                  timezone: \(zone)

                """)
            XCTAssertEqual(error.issues.count, 1)
            XCTAssertEqual(error.issues.first.map { [$0.line, $0.column] }, [11, 13], zone)
            XCTAssertTrue(error.message.contains("budgets.timezone: unknown time zone \"\(zone)\""), error.message)
        }
        let negative = try folder.refuse(ConfigFolder.minimal + "budgets: {wake_ups_per_month: -1}\n")
        XCTAssertEqual(negative.issues.first.map { [$0.line, $0.column] }, [10, 31])
        XCTAssertTrue(negative.message.contains("budgets.wake_ups_per_month must be at least 0"), negative.message)
    }

    func testAMonthlyCapNeedsAMonthOfDecisionsKept() throws {
        let folder = try ConfigFolder()
        defer { folder.remove() }
        let error = try folder.refuse(ConfigFolder.minimal + """
            budgets: {wake_ups_per_month: 20}
            retention: {decisions: 7d}

            """)
        XCTAssertEqual(error.issues.first.map { [$0.line, $0.column] }, [11, 24])
        XCTAssertTrue(error.message.contains("retention.decisions must be at least 32d"), error.message)
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + """
            budgets: {wake_ups_per_month: 20}
            retention: {decisions: 40d}

            """).retention.decisions, 40 * 86_400)
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + "retention: {decisions: 7d}\n").retention.decisions,
                       7 * 86_400, "without a monthly cap, two days are enough")
    }
}
