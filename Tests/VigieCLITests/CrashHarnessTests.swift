import Foundation
import VigieTestSupport
import XCTest

/// Issue 7, item 2, short version: `scripts/crash-test.py` runs `vigie sim --ledger` and
/// `vigie serve` as processes, SIGKILLs serve 4 times at seeded random moments while
/// notifications and remotes flow, and checks the inbox against the simulator's ledger,
/// `PRAGMA integrity_check`, and that no remote was POSTed twice (docs/crash-testing.md).
final class CrashHarnessTests: XCTestCase {
    func testServeSurvivesKillsWithoutLosingOrRepeatingAnything() throws {
        // python3 is part of the machine (docs/crash-testing.md): its absence fails the test.
        let python = try XCTUnwrap(["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "python3 is needed to run scripts/crash-test.py")
        let script = SharedFiles.repositoryRoot.appendingPathComponent("scripts/crash-test.py")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let result = try CommandRunner.run(URL(fileURLWithPath: python),
                                           [script.path, "--vigie", CommandRunner.vigieBinary.path, "--kills", "4",
                                            "--vehicles", "5", "--seed", "3", "--workdir", work.path],
                                           in: SharedFiles.repositoryRoot)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("kills survived: 4"), result.stdout)
        XCTAssertTrue(result.stdout.contains("integrity_check: ok"), result.stdout)
        XCTAssertTrue(result.stdout.contains("crash test passed"), result.stdout)
        XCTAssertFalse(result.stdout.contains("FAIL"), result.stdout)
    }
}
