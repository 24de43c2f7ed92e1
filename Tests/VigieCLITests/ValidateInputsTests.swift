import Foundation
import RuleLanguage
import VigieKit
import VigieTestSupport
import XCTest

/// How `vigie validate` finds and reads files.
final class ValidateInputsTests: XCTestCase {
    private var folder: TemporaryFolder!
    private var root: URL { folder.url }

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-inputs")
        for path in ["rules/b.yaml", "rules/a/z.yml", "rules/a/y.yaml", "rules/.hidden/x.yaml", "rules/notes.txt",
                     "rules/.dot.yaml", "empty/readme.md", "single.rules"] {
            try folder.write(path, "vigie: 1\n")
        }
    }

    override func tearDownWithError() throws { folder?.remove() }

    func testFoldersAreSearchedRecursivelySortedWithoutHiddenEntries() throws {
        XCTAssertEqual(try ValidateInputs.collect(["rules"], in: root), ["rules/a/y.yaml", "rules/a/z.yml", "rules/b.yaml"])
        XCTAssertEqual(try ValidateInputs.collect(["rules/"], in: root).first, "rules/a/y.yaml")
    }

    func testFilesAreTakenAsGivenOnce() throws {
        XCTAssertEqual(try ValidateInputs.collect(["single.rules", "rules/b.yaml", "rules"], in: root),
                       ["single.rules", "rules/b.yaml", "rules/a/y.yaml", "rules/a/z.yml"])
    }

    func testMissingPathIsAUsageErrorAndEmptyFolderAnIOError() {
        XCTAssertThrowsError(try ValidateInputs.collect(["nope.yaml"], in: root)) {
            XCTAssertEqual($0 as? ValidateInputs.Failure, .usage("no such file or directory: nope.yaml"))
        }
        XCTAssertThrowsError(try ValidateInputs.collect([], in: root)) {
            guard case .usage = $0 as? ValidateInputs.Failure else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ValidateInputs.collect(["empty"], in: root)) {
            XCTAssertEqual($0 as? ValidateInputs.Failure, .io("no rule files (*.yaml, *.yml) under empty"))
        }
        XCTAssertEqual(Validate.run(ValidateOptions(paths: ["empty"]), in: root).exitCode, 1)
    }

    func testInvalidUTF8IsReportedAsADiagnostic() throws {
        try Data([0x76, 0x69, 0xFF, 0xFE, 0x0A]).write(to: root.appendingPathComponent("bad.yaml"))
        let out = Validate.run(ValidateOptions(paths: ["bad.yaml"]), in: root)
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertTrue(out.stdout.hasPrefix("bad.yaml:1:3: error[yaml-syntax]: the file is not valid UTF-8 text\n"), out.stdout)
    }

    func testOversizedFileIsReadOnlyPastTheLimit() throws {
        let big = String(repeating: "# padding\n", count: RuleLimits.maxFileBytes / 10 + 1000)
        try big.write(to: root.appendingPathComponent("big.yaml"), atomically: true, encoding: .utf8)
        let read = try ValidateInputs.read(["big.yaml"], in: root)
        XCTAssertEqual(read.files.first?.text.utf8.count, RuleLimits.maxFileBytes + 1)
        let out = Validate.run(ValidateOptions(paths: ["big.yaml"]), in: root)
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertTrue(out.stdout.contains("error[file-too-large]"), out.stdout)
    }
}
