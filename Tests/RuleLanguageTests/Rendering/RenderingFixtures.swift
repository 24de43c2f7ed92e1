@testable import RuleLanguage

/// Hand-built diagnostics and sources the renderer tests share.
enum RenderingFixtures {
    static let file = "Rules/demo.yaml"
    static let text = """
        vigie: 1
        bundle: demo
        rules:
          - id: cold
            when: outside.temperature < 5 °C and battery.lvl < 20
            then: [notify: "froid ❄️ {{car}}"]
        \tcooldwon: 1h
        """

    static func at(_ line: Int, _ column: Int, _ endLine: Int, _ endColumn: Int, file: String = file) -> SourceRange {
        SourceRange(file: file, start: SourceLocation(line: line, column: column),
                    end: SourceLocation(line: endLine, column: endColumn))
    }

    static let unknownField = Diagnostic(
        severity: .error, code: "unknown-field", message: "unknown field `battery.lvl`",
        range: at(5, 42, 5, 53), notes: ["did you mean `battery.level`?"])
    static let unknownName = Diagnostic(
        severity: .error, code: "unknown-template-name", message: "`car` is not a template name",
        range: at(6, 32, 6, 35))
    static let tabbed = Diagnostic(
        severity: .warning, code: "unknown-key", message: "unknown key `cooldwon`", range: at(7, 2, 7, 10))

    static func report(_ diagnostics: [Diagnostic], omitted: Int = 0) -> DiagnosticReport {
        DiagnosticReport(
            diagnostics: diagnostics, omitted: omitted,
            summary: .init(files: 1, bundles: 0, rules: 0,
                           errors: diagnostics.filter { $0.severity == .error }.count,
                           warnings: diagnostics.filter { $0.severity == .warning }.count),
            sources: [file: text])
    }
}
