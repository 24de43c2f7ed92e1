import RuleLanguage

/// The options of `vigie validate`.
public struct ValidateOptions: Sendable {
    public var paths: [String]
    public var format: DiagnosticFormat
    /// Warnings count as errors.
    public var strict: Bool
    /// Diagnostics shown at most; 0 shows all.
    public var maxDiagnostics: Int

    public init(paths: [String], format: DiagnosticFormat = .text, strict: Bool = false, maxDiagnostics: Int = 100) {
        self.paths = paths
        self.format = format
        self.strict = strict
        self.maxDiagnostics = maxDiagnostics
    }
}
