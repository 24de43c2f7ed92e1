import Foundation
import VigieTestSupport
import XCTest

/// Issue 13: a fleet end to end against `vigie sim`, as processes. `scripts/crash-test.py
/// --api b2b` writes an `api.kind: b2b` configuration, runs `vigie apply` (fleet callback
/// and monitors) and `vigie serve`, SIGKILLs serve 3 times while the simulator posts its
/// `MonitorEvents` / `RemoteEvents` (with `reorder_window: 0`, then kill gaps beyond a
/// 2 s window), then checks: no (vehicle, rule, instant) decided twice, nothing set aside as a dead letter,
/// every vehicle notified fired the `seen` rule, fleet remotes went Pending → Done, every
/// acknowledged notification is in the inbox, no remote POSTed twice, integrity ok.
final class FleetCrashHarnessTests: XCTestCase {
    func testAFleetRunsEndToEndAndSurvivesKills() throws {
        // Both modes (reorder_window 0, and kill gaps beyond a 2 s window): see CrashHarnessTests.
        let result = try CrashHarnessTests.runHarness(["--api", "b2b", "--kills", "3", "--vehicles", "5", "--seed", "3"])
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let fleet = CrashHarnessTests.lines(result.stdout, "fleet checked:")
        XCTAssertEqual(fleet.count, 2, result.stdout)
        for line in fleet {
            // "fleet checked: N vehicles notified, N fired `seen`, R remotes Pending -> Done, 0 dead letters"
            let numbers = CrashHarnessTests.numbers(line)
            XCTAssertEqual(numbers.count, 4, line)
            XCTAssertGreaterThan(numbers[0], 1, "several vehicles of the fleet notified: \(line)")
            XCTAssertEqual(numbers[1], numbers[0], "every vehicle fired: \(line)")
            XCTAssertGreaterThan(numbers[2], 0, "a fleet remote went Pending -> Done: \(line)")
            XCTAssertEqual(numbers[3], 0, "no dead letter: \(line)")
        }
        for line in CrashHarnessTests.lines(result.stdout, "decisions checked:") {
            XCTAssertEqual(CrashHarnessTests.numbers(line).last, 0, "no (vehicle, rule, instant) decided twice: \(line)")
        }
        XCTAssertEqual(CrashHarnessTests.lines(result.stdout, "kills survived: 3").count, 2, result.stdout)
        XCTAssertEqual(CrashHarnessTests.lines(result.stdout, "integrity_check: ok").count, 2, result.stdout)
        XCTAssertTrue(result.stdout.contains("crash test passed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("FAIL"), result.stdout)
    }
}
