import XCTest
@testable import RuleLanguage

final class DiagnosticReportTests: XCTestCase {
    typealias F = RenderingFixtures

    private func diagnostic(_ file: String, _ line: Int, _ column: Int, _ severity: Severity = .error,
                            code: String = "c") -> Diagnostic {
        Diagnostic(severity: severity, code: code, message: "\(file) \(line):\(column)",
                   range: F.at(line, column, line, column + 1, file: file))
    }

    func testSortsByFileOrderThenPosition() {
        let files = [SourceFile(path: "b.yaml", text: ""), SourceFile(path: "a.yaml", text: "")]
        let result = ValidationResult(bundles: [], diagnostics: [
            diagnostic("a.yaml", 1, 1), diagnostic("b.yaml", 9, 1), diagnostic("b.yaml", 2, 7),
            diagnostic("b.yaml", 2, 3),
        ])
        let report = DiagnosticReport(result: result, files: files)
        XCTAssertEqual(report.diagnostics.map(\.message), ["b.yaml 2:3", "b.yaml 2:7", "b.yaml 9:1", "a.yaml 1:1"])
    }

    func testStrictTurnsWarningsIntoErrors() {
        let result = ValidationResult(bundles: [], diagnostics: [diagnostic("a.yaml", 1, 1, .warning)])
        let files = [SourceFile(path: "a.yaml", text: "")]
        let lenient = DiagnosticReport(result: result, files: files)
        XCTAssertEqual(lenient.summary.warnings, 1)
        XCTAssertEqual(lenient.exitCode, 0)
        let strict = DiagnosticReport(result: result, files: files, strict: true)
        XCTAssertEqual(strict.diagnostics.map(\.severity), [.error])
        XCTAssertEqual(strict.summary.errors, 1)
        XCTAssertEqual(strict.exitCode, 1)
    }

    func testCapKeepsTheFirstAndCountsTheRest() {
        let result = ValidationResult(bundles: [], diagnostics: (1...7).reversed().map { diagnostic("a.yaml", $0, 1) })
        let report = DiagnosticReport(result: result, files: [SourceFile(path: "a.yaml", text: "")], maxDiagnostics: 3)
        XCTAssertEqual(report.diagnostics.map(\.range.start.line), [1, 2, 3])
        XCTAssertEqual(report.omitted, 4)
        XCTAssertEqual(report.summary.errors, 7, "the summary counts every diagnostic, shown or not")
        XCTAssertEqual(report.omittedLine, "4 more diagnostics not shown (raise --max-diagnostics to see them)")
        let uncapped = DiagnosticReport(result: result, files: [SourceFile(path: "a.yaml", text: "")], maxDiagnostics: nil)
        XCTAssertEqual(uncapped.diagnostics.count, 7)
        XCTAssertNil(uncapped.omittedLine)
    }

    func testSummaryLinePluralises() {
        XCTAssertEqual(DiagnosticReport.Summary(files: 1, bundles: 2, rules: 1, errors: 0, warnings: 1).line,
                       "1 file, 2 bundles, 1 rule: 0 errors, 1 warning")
    }
}
