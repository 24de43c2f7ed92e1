import Foundation

/// Renders diagnostics as GitHub Actions workflow commands, one a line:
/// `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=vigie code::message`
/// (notes follow the message on their own lines, escaped as `%0A`). Warnings use
/// `::warning`, notes `::notice`. The summary follows as a plain log line; when diagnostics
/// were left out (`--max-diagnostics`), a final `::warning` says how many.
public struct GitHubDiagnosticRenderer: Sendable {
    public init() {}

    public func render(_ report: DiagnosticReport) -> String {
        var out = ""
        for d in report.diagnostics {
            let command: String
            switch d.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            let r = d.range
            let properties = [
                "file=\(Self.property(r.file))", "line=\(r.start.line)", "col=\(r.start.column)",
                "endLine=\(r.end.line)", "endColumn=\(r.end.column)",
                "title=\(Self.property("vigie \(d.code)"))",
            ].joined(separator: ",")
            let message = ([d.message] + d.notes.map { "note: \($0)" }).joined(separator: "\n")
            out += "::\(command) \(properties)::\(Self.data(message))\n"
        }
        out += report.summary.line + "\n"
        // Diagnostics past --max-diagnostics are never dropped silently: the last line says so
        // as a warning annotation, which the job summary shows.
        if let omitted = report.omittedLine { out += "::warning title=vigie::\(Self.data(omitted))\n" }
        return out
    }

    /// Escapes a command's message (`%`, CR, LF), as the Actions runner expects.
    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value: as `data`, plus `:` and `,`.
    static func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
