import XCTest
@testable import RuleLanguage

/// Validates one file and returns its diagnostics.
func diagnose(_ text: String, path: String = "t.yaml") -> [Diagnostic] {
    RuleValidator.validate([SourceFile(path: path, text: text)]).diagnostics
}

/// `code@line:col-endLine:endCol` for compact exact assertions.
func located(_ text: String) -> [String] {
    diagnose(text).map { d in
        "\(d.code)@\(d.range.start.line):\(d.range.start.column)-\(d.range.end.line):\(d.range.end.column)"
    }
}

/// The single bundle of a file that must check cleanly (warnings allowed).
func bundle(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> CheckedBundle? {
    let result = RuleValidator.validate([SourceFile(path: "t.yaml", text: text)])
    XCTAssertFalse(result.hasErrors, "\(result.diagnostics.map { "\($0.code): \($0.message)" })", file: file, line: line)
    return result.bundles.first
}

/// A file with one rule whose `when:` is written as given (already indented form).
func ruleFile(when: String, extra: String = "", top: String = "", then: String = "    then: [notify: hi]\n") -> String {
    "vigie: 1\nbundle: t\n" + top + "rules:\n  - id: r\n    when: " + when + "\n" + extra + then
}
