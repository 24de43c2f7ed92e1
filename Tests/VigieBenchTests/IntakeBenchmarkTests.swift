import Foundation
import OutcomeStore
import VigieBench
import VigieKit
import XCTest

/// `vigie bench intake`'s two loads, short, with the client in process: every
/// notification is stored, and the open loop sends on its schedule, not faster.
final class IntakeBenchmarkTests: XCTestCase {
    func testOpenLoopSendsOnTheScheduleAndStoresEverything() async throws {
        var options = IntakeBenchmark.Options(requests: 60, concurrency: 4, batch: 10, maxSeconds: 20, warmup: 5)
        options.rate = 2_000  // 200 requests/s: one every 5 ms
        let result = try await IntakeBenchmark.run(options)
        XCTAssertEqual(result.failures, 0)
        XCTAssertEqual(result.latencies.count, 60)
        XCTAssertEqual(result.sendLags.count, 60)
        XCTAssertEqual(result.storedInDatabase, 600)
        // Request 59 is due 59 × 5 ms after the first: a sender that did not wait for
        // the schedule (or waited for answers) would show here.
        XCTAssertGreaterThanOrEqual(result.sendSeconds, 0.295 - 0.001)
        XCTAssertTrue(result.latencies.allSatisfy { $0 > 0 })
        XCTAssertGreaterThanOrEqual(result.seconds, result.sendSeconds, "answers end after the last send")
        let report = IntakeBenchmark.report(result, options: options)
        XCTAssertTrue(report.contains("open loop") && report.contains("p99.9") && report.contains("stored: 600 of 600"), report)
    }

    func testClosedLoopStoresEverythingWithBackgroundCheckpoints() async throws {
        let options = IntakeBenchmark.Options(requests: 40, concurrency: 4, batch: 10, maxSeconds: 20, warmup: 4)
        XCTAssertTrue(options.backgroundCheckpoints, "the receiver's default")
        let result = try await IntakeBenchmark.run(options)
        XCTAssertEqual(result.failures, 0)
        XCTAssertEqual(result.storedInDatabase, 400)
        XCTAssertGreaterThan(result.transactions, 0)
        let report = IntakeBenchmark.report(result, options: options)
        XCTAssertTrue(report.contains("closed loop") && report.contains("at saturation"), report)
    }
}
