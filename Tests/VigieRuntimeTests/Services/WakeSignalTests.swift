import Foundation
import VehicleData
import XCTest
@testable import VigieRuntime

/// The services' wake-up: a signal before the wait is kept; a deadline on a manual clock
/// ends the wait only once the clock reaches it.
final class WakeSignalTests: XCTestCase {
    func testASignalGivenBeforeTheWaitIsKept() async {
        let signal = WakeSignal()
        signal.signal()
        signal.signal()
        await signal.wait(until: nil, clock: ManualClock(ServiceFixture.start))   // returns at once
    }

    func testADeadlineOnTheClockEndsTheWaitOnlyWhenReached() async throws {
        let clock = ManualClock(ServiceFixture.start)
        let signal = WakeSignal()
        let done = Task {
            await signal.wait(until: ServiceFixture.start.addingTimeInterval(60), clock: clock)
            return clock.now()
        }
        try await Task.sleep(nanoseconds: 50_000_000)
        clock.advance(by: 30)
        try await Task.sleep(nanoseconds: 50_000_000)
        clock.advance(by: 30)
        let woke = await done.value
        XCTAssertEqual(woke, ServiceFixture.start.addingTimeInterval(60), "not before the deadline")
    }
}
