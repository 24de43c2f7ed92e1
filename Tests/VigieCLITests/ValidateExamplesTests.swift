import Foundation
import RuleLanguage
import VigieKit
import VigieTestSupport
import XCTest

/// Every diagnostic code has a broken example (`examples/<code>.bad.yaml`, the code's
/// triggering example) whose exact text output is a golden
/// (`Tests/Fixtures/validate/<code>.txt`), and a good example that does not trigger it.
/// `VIGIE_UPDATE_GOLDENS=1` rewrites examples and goldens from the code list.
final class ValidateExamplesTests: XCTestCase {
    /// Examples too large to commit: generated into a temporary folder at test time.
    static let generated: Set<String> = ["file-too-large", "too-many-rules"]
    /// Examples that need two files: a folder `examples/<code>.bad/` with `a.yaml`, `b.yaml`.
    static let twoFiles: Set<String> = ["duplicate-bundle"]

    func testEveryCodeHasABadExampleWithAGoldenOutput() throws {
        XCTAssertFalse(DiagnosticCode.all.isEmpty)
        for code in DiagnosticCode.all {
            let (path, directory) = try badExample(code)
            let output = Validate.run(ValidateOptions(paths: [path]), in: directory)
            XCTAssertTrue(output.stdout.contains("[\(code.id)]: "), "\(path) does not produce \(code.id):\n\(output.stdout)")
            XCTAssertEqual(output.exitCode, code.severity == .error ? 1 : 0, path)
            XCTAssertEqual(output.stderr, "", path)
            try ValidateGoldens.check(output.stdout, against: "Tests/Fixtures/validate/\(code.id).txt")
        }
    }

    func testEveryCodeHasAGoodExampleThatDoesNotTriggerIt() throws {
        for code in DiagnosticCode.all {
            let path = "examples/\(code.id).good.yaml"
            try ValidateGoldens.check(code.nonTriggering, against: path)
            let output = Validate.run(ValidateOptions(paths: [path], format: .json),
                                      in: SharedFiles.repositoryRoot)
            XCTAssertFalse(output.stdout.contains("\"code\": \"\(code.id)\""), "\(path) triggers \(code.id)")
            XCTAssertEqual(output.exitCode, 0, "\(path):\n\(output.stdout)")
        }
    }

    func testNoStrayExamples() throws {
        let ids = Set(DiagnosticCode.all.map(\.id))
        let names = try FileManager.default.contentsOfDirectory(atPath: SharedFiles.repoFile("examples").path)
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".bad") {
            let id = name.replacingOccurrences(of: ".good.yaml", with: "").replacingOccurrences(of: ".bad.yaml", with: "")
                .replacingOccurrences(of: ".bad", with: "")
            XCTAssertTrue(ids.contains(id), "examples/\(name) names no diagnostic code")
        }
    }

    /// The bad example's path and the folder to run in; checks (or writes) the
    /// committed example against the code's triggering text.
    private func badExample(_ code: DiagnosticCode) throws -> (String, URL) {
        if Self.generated.contains(code.id) {
            let folder = try TemporaryFolder(prefix: "vigie-examples")
            addTeardownBlock { folder.remove() }
            let name = "\(code.id).bad.yaml"
            try folder.write(name, code.triggeringFile())
            return (name, folder.url)
        }
        if Self.twoFiles.contains(code.id) {
            for name in ["a.yaml", "b.yaml"] {
                try ValidateGoldens.check(code.triggering, against: "examples/\(code.id).bad/\(name)")
            }
            return ("examples/\(code.id).bad", SharedFiles.repositoryRoot)
        }
        try ValidateGoldens.check(code.triggeringFile(), against: "examples/\(code.id).bad.yaml")
        return ("examples/\(code.id).bad.yaml", SharedFiles.repositoryRoot)
    }
}
