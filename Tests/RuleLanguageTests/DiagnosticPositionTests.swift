import XCTest
@testable import RuleLanguage

/// The exact range of every code in its triggering example (the examples are the
/// fixtures A2's goldens render), and that nothing else is reported alongside.
final class DiagnosticPositionTests: XCTestCase {
    static let expected: [String: [String]] = [
        "yaml-syntax": ["yaml-syntax@6:9-6:10"],
        "multiple-documents": ["multiple-documents@8:1-8:4"],
        "file-too-large": ["file-too-large@1:1-1:1"],
        "nesting-too-deep": ["nesting-too-deep@3:77-3:78"],
        "too-many-aliases": ["too-many-aliases@4:412-4:414"],
        "too-many-rules": ["too-many-rules@3:1-3:6"],
        "unsupported-yaml": ["unsupported-yaml@3:14-3:31"],
        "unknown-key": ["unknown-key@6:5-6:13"],
        "duplicate-key": ["duplicate-key@6:5-6:9"],
        "missing-key": ["missing-key@4:5-4:5"],
        "no-rules": ["no-rules@3:8-3:10"],
        "wrong-type": ["wrong-type@6:18-6:21"],
        "unsupported-version": ["unsupported-version@1:8-1:9"],
        "bad-bundle-name": ["bad-bundle-name@2:9-2:20"],
        "bad-rule-id": ["bad-rule-id@4:9-4:20"],
        "duplicate-rule-id": ["duplicate-rule-id@8:9-8:20"],
        "duplicate-bundle": ["duplicate-bundle@2:9-2:13"],
        "bad-name": ["bad-name@4:3-4:13"],
        "bad-value": ["bad-value@6:11-6:16"],
        "expression-syntax": ["expression-syntax@5:27-5:30"],
        "unknown-field": ["unknown-field@5:11-5:23"],
        "unknown-member": ["unknown-member@5:30-5:38"],
        "unit-mismatch": ["unit-mismatch@5:27-5:32"],
        "missing-unit": ["missing-unit@4:56-4:57"],
        "out-of-range": ["out-of-range@5:27-5:32"],
        "type-mismatch": ["type-mismatch@5:11-5:24"],
        "unknown-zone": ["unused-zone@4:3-4:8", "unknown-zone@7:18-7:23"],
        "unknown-schedule": ["unused-schedule@4:3-4:11", "unknown-schedule@8:13-8:20"],
        "unknown-function": ["unused-zone@4:3-4:8", "unknown-function@7:11-7:22"],
        "bad-arguments": ["bad-arguments@5:11-5:36"],
        "bad-duration": ["bad-duration@6:10-6:19"],
        "bad-time": ["bad-time@4:30-4:37"],
        "unknown-timezone": ["unknown-timezone@3:11-3:24"],
        "bad-action": ["bad-action@7:16-7:20"],
        "unknown-template-name": ["unknown-template-name@7:18-7:25"],
        "sensitive-action": ["sensitive-action@7:9-7:22"],
        "always-false": ["always-false@5:11-5:52"],
        "always-true": ["always-true@5:11-5:52"],
        "never-fires": ["never-fires@8:10-8:12"],
        "event-with-for": ["event-with-for@8:10-8:12"],
        "conflicting-rules": ["conflicting-rules@5:22-5:40"],
        "feedback-loop": ["feedback-loop@7:9-7:22"],
        "feedback-cycle": ["feedback-cycle@4:82-4:95", "feedback-cycle@5:60-5:72"],
        "unused-zone": ["unused-zone@4:3-4:8"],
        "unused-schedule": ["unused-schedule@4:3-4:11"],
    ]

    func testEveryCodeHasAnExpectedPosition() {
        XCTAssertEqual(Set(Self.expected.keys), Set(DiagnosticCode.all.map(\.id)))
    }

    func testTriggeringExamplesReportExactlyThere() {
        for code in DiagnosticCode.all {
            var files = [SourceFile(path: "bad.yaml", text: code.triggeringFile())]
            if code.id == "duplicate-bundle" { files.append(SourceFile(path: "bad2.yaml", text: code.triggering)) }
            let got = RuleValidator.validate(files).diagnostics.map { d in
                "\(d.code)@\(d.range.start.line):\(d.range.start.column)-\(d.range.end.line):\(d.range.end.column)"
            }
            XCTAssertEqual(got, Self.expected[code.id] ?? [], code.id)
        }
    }
}
