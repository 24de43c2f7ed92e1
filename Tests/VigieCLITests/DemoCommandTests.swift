import Foundation
import VigieTestSupport
import XCTest

/// `vigie demo` as a user runs it (a shorter day): exit 0, the timeline and the summary
/// table, and a log that `vigie log` reads back with the same decisions.
final class DemoCommandTests: XCTestCase {
    func testShortDemoPrintsTimelineSummaryAndLeavesALog() throws {
        let folder = try TemporaryFolder(prefix: "vigie-demo")
        defer { folder.remove() }
        let db = folder.path("demo.sqlite")
        let demo = try CommandRunner.vigie(["demo", "--db", db, "--hours", "8", "--speed", "2000"])
        XCTAssertEqual(demo.exitCode, 0, demo.stderr)
        XCTAssertTrue(demo.stdout.contains("vigie demo: 5 simulated vehicles, seed 1"), demo.stdout)
        XCTAssertTrue(demo.stdout.contains("time (Paris)  vehicle"), demo.stdout)
        XCTAssertTrue(demo.stdout.contains("ev-charging/critical-battery-charge-now"), demo.stdout)
        XCTAssertTrue(demo.stdout.contains("charge: start"), demo.stdout)
        XCTAssertTrue(demo.stdout.contains("succeeded"), demo.stdout)
        let total = try XCTUnwrap(demo.stdout.split(separator: "\n").first { $0.hasPrefix("total") })
        let fired = try XCTUnwrap(Int(total.split(separator: " ", omittingEmptySubsequences: true)[1]))
        XCTAssertGreaterThan(fired, 3)
        let log = try CommandRunner.vigie(["log", "--db", db])
        XCTAssertEqual(log.exitCode, 0, log.stderr)
        XCTAssertTrue(log.stdout.contains("(\(fired) fired"), log.stdout + "\n" + String(total))
    }

    func testUsageErrorsExit64() throws {
        let result = try CommandRunner.vigie(["demo", "--vehicles", "0"])
        XCTAssertEqual(result.exitCode, 64)
        XCTAssertTrue(result.stderr.contains("--vehicles must be 1…50"), result.stderr)
    }
}
