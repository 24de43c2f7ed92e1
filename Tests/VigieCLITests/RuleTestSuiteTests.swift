import Foundation
import VigieKit
import VigieTestSupport
import XCTest

/// Runs the rule unit tests of RuleTests/ (one file per bundle in Rules/) through the
/// library, as `vigie test RuleTests/*.yaml` does.
final class RuleTestSuiteTests: XCTestCase {
    func testEveryBundleInRulesHasPassingTests() throws {
        let root = SharedFiles.repositoryRoot
        let tests = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("RuleTests").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "RuleTests/\($0)" }
        let bundles = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Rules").path)
            .filter { $0.hasSuffix(".yaml") }
        for bundle in bundles {
            let stem = bundle.replacingOccurrences(of: ".yaml", with: "")
            XCTAssertTrue(tests.contains("RuleTests/\(stem).test.yaml"), "no RuleTests/\(stem).test.yaml for Rules/\(bundle)")
        }
        let summary = RuleTestRunner.run(paths: tests, in: root)
        XCTAssertGreaterThan(summary.passed, 20)
        XCTAssertEqual(summary.failed, 0, RuleTestReport.text(summary, coverage: false))
    }
}
