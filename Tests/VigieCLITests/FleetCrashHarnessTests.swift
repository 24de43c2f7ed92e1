import Foundation
import VigieTestSupport
import XCTest

/// Issue 13: a fleet end to end against `vigie sim`, as processes. `scripts/crash-test.py
/// --api b2b` writes an `api.kind: b2b` configuration, runs `vigie apply` (fleet callback
/// and monitors) and `vigie serve`, SIGKILLs serve 3 times while the simulator posts its
/// `MonitorEvents` / `RemoteEvents`, then checks: nothing set aside as a dead letter,
/// every vehicle notified fired the `seen` rule, fleet remotes went Pending → Done, every
/// acknowledged notification is in the inbox, no remote POSTed twice, integrity ok.
final class FleetCrashHarnessTests: XCTestCase {
    func testAFleetRunsEndToEndAndSurvivesKills() throws {
        let python = try XCTUnwrap(["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "python3 is needed to run scripts/crash-test.py")
        let script = SharedFiles.repositoryRoot.appendingPathComponent("scripts/crash-test.py")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-crash-b2b-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try CommandRunner.run(URL(fileURLWithPath: python),
                                           [script.path, "--vigie", CommandRunner.vigieBinary.path, "--api", "b2b",
                                            "--kills", "3", "--vehicles", "5", "--seed", "3", "--workdir", work.path],
                                           in: SharedFiles.repositoryRoot)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let fleet = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("fleet checked:") }, result.stdout)
        // "fleet checked: N vehicles notified, N fired `seen`, R remotes Pending -> Done, 0 dead letters"
        let numbers = fleet.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        XCTAssertEqual(numbers.count, 4, String(fleet))
        XCTAssertGreaterThan(numbers[0], 1, "several vehicles of the fleet notified: \(fleet)")
        XCTAssertEqual(numbers[1], numbers[0], "every vehicle fired: \(fleet)")
        XCTAssertGreaterThan(numbers[2], 0, "a fleet remote went Pending -> Done: \(fleet)")
        XCTAssertEqual(numbers[3], 0, "no dead letter: \(fleet)")
        XCTAssertTrue(result.stdout.contains("kills survived: 3"), result.stdout)
        XCTAssertTrue(result.stdout.contains("integrity_check: ok"), result.stdout)
        XCTAssertTrue(result.stdout.contains("crash test passed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("FAIL"), result.stdout)
    }
}
