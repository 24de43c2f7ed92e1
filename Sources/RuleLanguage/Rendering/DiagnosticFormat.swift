/// The output formats of `vigie validate --format`.
public enum DiagnosticFormat: String, Sendable, Hashable, CaseIterable {
    case text, json, sarif, github

    /// Renders a report in this format (text ends with a newline).
    public func render(_ report: DiagnosticReport) -> String {
        switch self {
        case .text: return TextDiagnosticRenderer().render(report)
        case .json: return JSONDiagnosticRenderer().render(report)
        case .sarif: return SARIFDiagnosticRenderer().render(report)
        case .github: return GitHubDiagnosticRenderer().render(report)
        }
    }
}
