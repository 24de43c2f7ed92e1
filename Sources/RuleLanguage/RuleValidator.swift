/// A rule file as read from disk.
public struct SourceFile: Sendable, Hashable {
    /// The path as the user gave it.
    public var path: String
    public var text: String
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The result of loading and checking rule files: every bundle that checked without
/// error, and all diagnostics (errors, warnings), sorted by file and position.
public struct ValidationResult: Sendable {
    public var bundles: [CheckedBundle]
    public var diagnostics: [Diagnostic]
    public init(bundles: [CheckedBundle], diagnostics: [Diagnostic]) {
        self.bundles = bundles
        self.diagnostics = diagnostics
    }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Entry point of the rule language: YAML → AST → checked bundles, collecting
/// diagnostics rather than throwing.
public enum RuleValidator {
    /// Loads and checks the given files as one deployment (bundle names must be
    /// unique across files).
    public static func validate(_ files: [SourceFile]) -> ValidationResult {
        // Filled in by the loader/checker work (issue 2); the signature is the contract.
        ValidationResult(bundles: [], diagnostics: [])
    }
}
