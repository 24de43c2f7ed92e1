import Foundation
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// Live event time (docs/serve.md, "Event time"): `vigie serve` observes each
/// notification at its `date`, in date order, once the watermark (clock − reorder window)
/// passes it — the decisions of a dry run of the same observations sorted by date.
final class EventTimeTests: XCTestCase {
    private let car1 = "VR3UHZKXZMT000001"
    private let car2 = "VR3UHZKXZMT000002"

    /// Received out of order within the window: car 1's 15 % (dated 1 s) comes after its
    /// 50 % (dated 2 s); car 2's 60 % (0.5 s) after its 10 % (1.5 s).
    private var reordered: [(vin: String, date: Date, level: Int)] {
        [(car1, EventTimeHarness.at(2), 50), (car1, EventTimeHarness.at(1), 15),
         (car2, EventTimeHarness.at(1.5), 10), (car2, EventTimeHarness.at(0.5), 60)]
    }

    func testReorderedNotificationsOfSeveralVehiclesGiveTheDryRunOfTheSameObservationsSortedByDate() async throws {
        let h = try await EventTimeHarness(window: 10)
        defer { h.remove() }
        try await h.receive(reordered)
        try await h.run(at: 5)
        XCTAssertEqual(try h.decisions(), [], "the watermark (-5 s) has not reached them")
        XCTAssertEqual(try h.unprocessedIds().count, 4, "held rows stay unprocessed in the inbox")
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.engineHeld), 4)
        try await h.run(at: 12)                                // watermark 2 s: all four, in date order
        XCTAssertEqual(try h.unprocessedIds(), [])
        XCTAssertEqual(try h.decisions(), h.dryRun(until: EventTimeHarness.at(2)))
        // Car 2 went below 20 % at 1.5 s and stayed: `for: 5m` ends at 301.5 s exactly,
        // and fires only once the watermark passes it.
        try await h.run(at: 311)                               // watermark 301 s
        XCTAssertFalse(try h.decisions().contains { $0.contains("low-for-5m") })
        try await h.run(at: 312)                               // watermark 302 s
        let all = try h.decisions()
        XCTAssertEqual(all, h.dryRun(until: EventTimeHarness.at(302)))
        let fired = all.filter { $0.contains("low-for-5m") }
        XCTAssertEqual(fired.count, 1, "car 1 was below 20 % only from 1 s to 2 s")
        let first = try XCTUnwrap(fired.first)
        XCTAssertTrue(first.contains("\"at\":\"\(Timestamp.format(EventTimeHarness.at(301.5)))\"") && first.contains(car2), first)
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.observationsLate, ["source": "notification"]), 0)
        // The order mattered: in receive order the decisions differ.
        XCTAssertNotEqual(all, h.dryRun(until: EventTimeHarness.at(302),
                                        instants: [2, 2, 2, 2].map(EventTimeHarness.at)))
    }

    func testALateNotificationIsObservedAtTheEngineClockCountedAndStaleByItsOwnDate() async throws {
        let h = try await EventTimeHarness(window: 10, staleAfter: 60)
        defer { h.remove() }
        try await h.receive([(car1, EventTimeHarness.at(0), 50)])
        try await h.run(at: 100)                               // engine clock: the watermark, 90 s
        // Dated 20 s: 70 s behind the engine's clock (later than the window allows), and
        // 80 s old (older than stale_after).
        try await h.receive([(car1, EventTimeHarness.at(20), 15)])
        try await h.run(at: 101)
        XCTAssertEqual(try h.unprocessedIds(), [], "a late notification is never dropped")
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.observationsLate, ["source": "notification"]), 1)
        let changed = try XCTUnwrap(h.database.loggedDecisions().last)
        XCTAssertEqual(changed.firing.rule, "level-changed")
        XCTAssertEqual(Timestamp.format(changed.firing.at), Timestamp.format(EventTimeHarness.at(90)),
                       "observed at the engine's clock (the watermark when it was read)")
        XCTAssertEqual(changed.firing.event, "suppressed")
        XCTAssertEqual(changed.firing.reason, "stale", "stale by its own date")
        // Its `for: 5m` counts from the instant it was observed at.
        try await h.run(at: 400)
        let low = try XCTUnwrap(h.database.loggedDecisions().last)
        XCTAssertEqual(low.firing.rule, "low-for-5m")
        XCTAssertEqual(Timestamp.format(low.firing.at), Timestamp.format(EventTimeHarness.at(390)))
        XCTAssertEqual(low.firing.event, "fired", "a timer's firing is never stale")
    }

    func testHeldRowsSurviveACrashAndGiveTheSameDecisions() async throws {
        let h = try await EventTimeHarness(window: 10)
        defer { h.remove() }
        try await h.receive([(car2, EventTimeHarness.at(0), 60)])
        try await h.run(at: 10)                                // observed; engine clock 0 s
        try await h.receive(reordered)
        try await h.run(at: 11)                                // watermark 1 s: only car 2's 60 % (0.5 s) and car 1's 15 % (1 s)
        XCTAssertEqual(try h.unprocessedIds().count, 2, "car 1's 50 % (2 s) and car 2's 10 % (1.5 s) are held")
        let checkpoint = try XCTUnwrap(h.database.engineState(scope: "serve").checkpoint)
        let held = try h.unprocessedIds()
        XCTAssertEqual(checkpoint.position, try XCTUnwrap(held.min()) - 1, "every row up to the checkpoint is processed")
        try await h.crashAndRestart()
        try await h.run(at: 20)                                // restarted soon after: watermark 10 s
        try await h.run(at: 400)
        XCTAssertEqual(try h.unprocessedIds(), [])
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.observationsLate, ["source": "notification"]), 0,
                       "held rows were above the saved engine clock")
        XCTAssertEqual(try h.decisions(), h.dryRun(until: EventTimeHarness.at(390)),
                       "the decisions of an uninterrupted run")
    }

    func testAWindowOfZeroObservesNotificationsAsReadAsBefore() async throws {
        let h = try await EventTimeHarness(window: 0)
        defer { h.remove() }
        try await h.run(at: 0)
        try await h.receive(reordered)
        try await h.run(at: 3)
        XCTAssertEqual(try h.unprocessedIds(), [], "nothing waits")
        // Receive order, each at its date or — when the engine's clock is past it — at the
        // engine's clock: 50 % at 2 s, then 15 % at 2 s (late), 10 % at 2 s, 60 % at 2 s.
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.observationsLate, ["source": "notification"]), 3)
        try await h.run(at: 400)
        XCTAssertEqual(try h.decisions(), h.dryRun(until: EventTimeHarness.at(400),
                                                   instants: [2, 2, 2, 2].map(EventTimeHarness.at)))
    }

    func testADateAheadOfTheClockBeyondTheSkewIsTakenAsRead() async throws {
        let h = try await EventTimeHarness(window: 2)
        defer { h.remove() }
        // The sender's clock is an hour ahead; a second one only 4 s (within the 5 s skew).
        try await h.receive([(car1, EventTimeHarness.at(3600), 15), (car2, EventTimeHarness.at(14), 15)])
        try await h.run(at: 10)                                // read at 10 s; watermark 8 s
        XCTAssertEqual(try h.unprocessedIds().count, 2, "both wait for the watermark")
        try await h.run(at: 12)                                // watermark 10 s: car 1's, taken as read at 10 s
        XCTAssertEqual(try h.unprocessedIds().count, 1, "car 2's (14 s) still waits")
        try await h.run(at: 16)
        XCTAssertEqual(try h.unprocessedIds(), [])
        try await h.run(at: 320)
        let low = try h.database.loggedDecisions().filter { $0.firing.rule == "low-for-5m" }
        XCTAssertEqual(low.map { $0.firing.vin + " " + Timestamp.format($0.firing.at) },
                       ["\(car1) \(Timestamp.format(EventTimeHarness.at(310)))", "\(car2) \(Timestamp.format(EventTimeHarness.at(314)))"],
                       "pending from 10 s (taken as read) and from 14 s (its date)")
    }

    func testPollAnswersWaitForTheWatermarkAndInterleaveByInstant() async throws {
        let h = try await EventTimeHarness(window: 5)
        defer { h.remove() }
        try await h.receive([(car1, EventTimeHarness.at(3), 15)])
        let polled = InboxInput.observation(of: EventTimeHarness.message(vin: car1, date: EventTimeHarness.at(2), level: 40)["monitorEvent"]!).0
        h.handoff.submitPoll(vin: car1, at: EventTimeHarness.at(2), observation: polled)
        try await h.run(at: 6)                                 // watermark 1 s
        XCTAssertEqual(try h.decisions(), [])
        try await h.run(at: 8)                                 // watermark 3 s: the poll (2 s), then the notification (3 s)
        let levels = try h.database.loggedDecisions().filter { $0.firing.rule == "level-changed" }.map(\.firing.at)
        XCTAssertEqual(levels.map(Timestamp.format), [Timestamp.format(EventTimeHarness.at(3))], "40 % (polled) then 15 %: a change at 3 s")
        try await h.run(at: 400)
        let low = try h.database.loggedDecisions().filter { $0.firing.rule == "low-for-5m" }.map { Timestamp.format($0.firing.at) }
        XCTAssertEqual(low, [Timestamp.format(EventTimeHarness.at(303))], "pending from the notification's 3 s, after the poll's 40 %")
        XCTAssertEqual(h.runtime.metrics.value(RuntimeMetrics.observations, ["source": "poll"]), 1)
    }
}
