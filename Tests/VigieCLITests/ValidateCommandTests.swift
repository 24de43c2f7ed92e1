import Foundation
import VigieTestSupport
import XCTest

/// End-to-end tests of `vigie validate`: the built binary, its stdout, stderr and
/// exit code, in every format.
final class ValidateCommandTests: XCTestCase {
    static let bad = "examples/unknown-field.bad.yaml"
    static let warning = "examples/always-false.bad.yaml"
    static let manyErrors = "Tests/Fixtures/validate/many-errors.yaml"

    func testRulesFolderIsValid() throws {
        let r = try CommandRunner.vigie(["validate", "Rules"])
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stderr, "")
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("4 files, 4 bundles, "), last)
        XCTAssertTrue(last.hasSuffix(": 0 errors, 0 warnings"), last)
    }

    func testTextFormatIsTheGolden() throws {
        let r = try CommandRunner.vigie(["validate", Self.bad])
        XCTAssertEqual(r.exitCode, 1)
        let golden = try String(contentsOf: SharedFiles.repoFile("Tests/Fixtures/validate/unknown-field.txt"), encoding: .utf8)
        XCTAssertEqual(r.stdout, golden)
        XCTAssertTrue(r.stdout.hasPrefix("\(Self.bad):"))
        XCTAssertTrue(r.stdout.contains(": error[unknown-field]: "))
    }

    func testJSONFormat() throws {
        let r = try CommandRunner.vigie(["validate", "--format", "json", Self.bad])
        XCTAssertEqual(r.exitCode, 1)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let first = try XCTUnwrap((root["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["file"] as? String, Self.bad)
        XCTAssertEqual(first["code"] as? String, "unknown-field")
        XCTAssertEqual(first["severity"] as? String, "error")
        for key in ["line", "column", "endLine", "endColumn"] { XCTAssertNotNil(first[key] as? Int, key) }
        XCTAssertEqual((root["summary"] as? [String: Any])?["errors"] as? Int, 1)
    }

    func testSARIFFormat() throws {
        let r = try CommandRunner.vigie(["validate", "--format", "sarif", Self.bad])
        XCTAssertEqual(r.exitCode, 1)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let result = try XCTUnwrap((run["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["ruleId"] as? String, "unknown-field")
        let region = (result["locations"] as? [[String: Any]])?.first
            .flatMap { $0["physicalLocation"] as? [String: Any] }.flatMap { $0["region"] as? [String: Any] }
        XCTAssertNotNil(region?["startLine"] as? Int)
    }

    func testGitHubFormat() throws {
        let r = try CommandRunner.vigie(["validate", "--format", "github", Self.bad])
        XCTAssertEqual(r.exitCode, 1)
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.hasPrefix("::error file=\(Self.bad),line="), first)
        XCTAssertTrue(first.contains(",col="), first)
        XCTAssertTrue(first.contains("title=vigie unknown-field::"), first)
    }

    /// The exact bytes of each machine format for one example (regenerate with
    /// VIGIE_UPDATE_GOLDENS=1 when a format or the code list changes on purpose).
    func testMachineFormatsAreTheGoldens() throws {
        for (format, ext) in [("json", "json"), ("sarif", "sarif"), ("github", "github.txt")] {
            let r = try CommandRunner.vigie(["validate", "--format", format, Self.bad, Self.warning])
            XCTAssertEqual(r.exitCode, 1, format)
            try ValidateGoldens.check(r.stdout, against: "Tests/Fixtures/validate/formats/two-files.\(ext)")
        }
    }

    func testWarningsPassUnlessStrict() throws {
        let lenient = try CommandRunner.vigie(["validate", Self.warning])
        XCTAssertEqual(lenient.exitCode, 0, lenient.stdout)
        XCTAssertTrue(lenient.stdout.contains(": warning[always-false]: "), lenient.stdout)
        let strict = try CommandRunner.vigie(["validate", "--strict", Self.warning])
        XCTAssertEqual(strict.exitCode, 1, strict.stdout)
        XCTAssertTrue(strict.stdout.contains(": error[always-false]: "), strict.stdout)
    }

    func testCapCountsTheRest() throws {
        let all = try CommandRunner.vigie(["validate", "--max-diagnostics", "0", "--format", "json", Self.manyErrors])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any])
        let total = try XCTUnwrap((root["diagnostics"] as? [Any])?.count)
        XCTAssertGreaterThanOrEqual(total, 3)
        let capped = try CommandRunner.vigie(["validate", "--max-diagnostics", "2", Self.manyErrors])
        XCTAssertEqual(capped.exitCode, 1)
        XCTAssertEqual(capped.stdout.components(separatedBy: ": error[").count - 1, 2)
        XCTAssertTrue(capped.stdout.contains("\(total - 2) more diagnostic"), capped.stdout)
    }

    func testUsageErrorsExit64() throws {
        for args in [["validate"], ["validate", "no/such/dir"], ["validate", "--bogus", "Rules"],
                     ["validate", "--format", "xml", "Rules"], ["validate", "--max-diagnostics", "-1", "Rules"]] {
            let r = try CommandRunner.vigie(args)
            XCTAssertEqual(r.exitCode, 64, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        let missing = try CommandRunner.vigie(["validate", "no/such/dir"])
        XCTAssertTrue(missing.stderr.contains("no such file or directory: no/such/dir"), missing.stderr)
    }

    func testHelpSnapshot() throws {
        let r = try CommandRunner.vigie(["validate", "--help"], environment: ["COLUMNS": "100"])
        XCTAssertEqual(r.exitCode, 0)
        try ValidateGoldens.check(r.stdout, against: "Tests/Fixtures/validate/help.txt")
    }
}
