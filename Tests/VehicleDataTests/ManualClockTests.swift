import Foundation
import VehicleData
import XCTest

final class ManualClockTests: XCTestCase {
    /// A sleeper is listed with its instant while it waits, and gone once the clock
    /// reaches it: tests wait for a service to sleep toward the instant they expect.
    func testSleepersAreListedUntilTheClockReachesThem() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ManualClock(start)
        XCTAssertEqual(clock.sleepers, [])
        let late = Task { try await clock.sleep(until: start.addingTimeInterval(900)) }
        let early = Task { try await clock.sleep(until: start.addingTimeInterval(60)) }
        while clock.sleepers.count < 2 { await Task.yield() }
        XCTAssertEqual(clock.sleepers, [start.addingTimeInterval(60), start.addingTimeInterval(900)])

        clock.advance(by: 60)
        try await early.value
        XCTAssertEqual(clock.sleepers, [start.addingTimeInterval(900)])

        late.cancel()
        await XCTAssertThrowsErrorAsync { try await late.value }
        XCTAssertEqual(clock.sleepers, [], "a cancelled sleeper is no longer listed")
    }
}

private func XCTAssertThrowsErrorAsync(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        try await body()
        XCTFail("no error thrown", file: file, line: line)
    } catch {}
}
