/// Renders diagnostics like swiftc or rustc:
///
///     Rules/ev.yaml:12:11: error[unknown-field]: unknown field `battery.lvl`
///         when: battery.lvl < 20
///               ^^^^^^^^^^^
///     note: did you mean `battery.level`?
///
/// then `N more diagnostics not shown` when capped, and a summary line.
public struct TextDiagnosticRenderer: Sendable {
    public init() {}

    public func render(_ report: DiagnosticReport) -> String {
        var out = ""
        var linesByFile: [String: [Substring]] = [:]
        for diagnostic in report.diagnostics {
            let file = diagnostic.range.file
            if linesByFile[file] == nil, let text = report.sources[file] {
                linesByFile[file] = SourceExcerpt.lines(of: text)
            }
            out += render(diagnostic, lines: linesByFile[file] ?? [])
        }
        if let omitted = report.omittedLine { out += omitted + "\n" }
        out += report.summary.line + "\n"
        return out
    }

    /// One diagnostic: its header, source line and caret line, and its notes.
    public func render(_ diagnostic: Diagnostic, lines: [Substring]) -> String {
        let start = diagnostic.range.start
        var out = "\(diagnostic.range.file):\(start.line):\(start.column): "
            + "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
        if let excerpt = SourceExcerpt(range: diagnostic.range, lines: lines) {
            out += excerpt.line + "\n" + excerpt.carets + "\n"
        }
        for note in diagnostic.notes { out += "note: \(note)\n" }
        return out
    }
}
