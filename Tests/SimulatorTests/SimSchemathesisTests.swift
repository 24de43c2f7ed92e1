import Foundation
import VigieTestSupport
import XCTest

/// Schemathesis (PyPI) over api-b2c.yaml and api-b2b.yaml against the built `vigie sim`, on
/// loopback: no crash, no 5xx, and every answer of an implemented operation conforms (status
/// code, content type, headers, body schema). Tests/tools/schemathesis/run.py drives it,
/// 45 s per file. Fails, never skips, when python3, schemathesis or the binary is missing
/// (`.ci/run` installs schemathesis).
final class SimSchemathesisTests: XCTestCase {
    func testSchemathesisFindsNoFailureOverBothOpenAPIFiles() throws {
        let vigie = CommandRunner.vigieBinary
        guard FileManager.default.isExecutableFile(atPath: vigie.path) else {
            return XCTFail("vigie binary not built at \(vigie.path)")
        }
        let script = SharedFiles.repositoryRoot.appendingPathComponent("Tests/tools/schemathesis/run.py")
        let api = SharedFiles.apiFile("api-b2c.yaml").deletingLastPathComponent()
        let r = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                      ["python3", script.path, vigie.path, api.path, "45"],
                                      in: SharedFiles.repositoryRoot)
        XCTAssertEqual(r.exitCode, 0, "schemathesis run failed:\n\(r.stdout.suffix(20_000))\n\(r.stderr.suffix(5_000))")
        XCTAssertTrue(r.stdout.contains("run.py: api-b2c.yaml: passed"), r.stdout.suffix(2_000).description)
        XCTAssertTrue(r.stdout.contains("run.py: api-b2b.yaml: passed"), r.stdout.suffix(2_000).description)
    }
}
