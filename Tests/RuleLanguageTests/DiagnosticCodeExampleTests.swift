import XCTest
@testable import RuleLanguage

/// Every code's triggering example yields that code; its non-triggering example does not.
final class DiagnosticCodeExampleTests: XCTestCase {
    func testEveryCodeHasDistinctIdAndExamples() {
        XCTAssertEqual(Set(DiagnosticCode.all.map(\.id)).count, DiagnosticCode.all.count)
        XCTAssertGreaterThanOrEqual(DiagnosticCode.all.count, 40)
        for code in DiagnosticCode.all where code.id != "duplicate-bundle" {   // needs two files
            XCTAssertFalse(code.summary.isEmpty, code.id)
            XCTAssertNotEqual(code.triggeringFile(), code.nonTriggering, code.id)
        }
    }

    func testTriggeringExamplesTrigger() {
        for code in DiagnosticCode.all {
            let codes = validate(code).map(\.code)
            XCTAssertTrue(codes.contains(code.id), "\(code.id): got \(codes)")
            let found = validate(code).filter { $0.code == code.id }
            XCTAssertTrue(found.allSatisfy { $0.severity == code.severity }, code.id)
        }
    }

    func testNonTriggeringExamplesAreClean() {
        for code in DiagnosticCode.all {
            let result = RuleValidator.validate([SourceFile(path: "good.yaml", text: code.nonTriggering)])
            XCTAssertEqual(result.diagnostics.map { "\($0.code) \($0.message)" }, [], code.id)
            XCTAssertEqual(result.bundles.count, 1, code.id)
        }
    }

    private func validate(_ code: DiagnosticCode) -> [Diagnostic] {
        var files = [SourceFile(path: "bad.yaml", text: code.triggeringFile())]
        if code.id == "duplicate-bundle" { files.append(SourceFile(path: "bad2.yaml", text: code.triggering)) }
        return RuleValidator.validate(files).diagnostics
    }
}
