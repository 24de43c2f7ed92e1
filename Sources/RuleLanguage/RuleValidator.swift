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
        var bundles: [CheckedBundle] = []
        var diagnostics: [Diagnostic] = []
        var firstDeclared: [String: SourceRange] = [:]
        var feedbackRules: [FeedbackRule] = []
        for file in files {
            let (ast, source, loadDiagnostics) = RuleLoader.load(file)
            diagnostics += loadDiagnostics
            guard let ast else { continue }
            let (bundle, checkDiagnostics, checkedRules) = BundleChecker.check(ast, source: source)
            feedbackRules += checkedRules
            var fileDiagnostics = loadDiagnostics + checkDiagnostics
            diagnostics += checkDiagnostics
            if let name = ast.bundle, BundleChecker.isName(name.value) {
                if let first = firstDeclared[name.value] {
                    let duplicate = Diagnostic(
                        severity: .error, code: "duplicate-bundle",
                        message: "bundle `\(name.value)` is already declared in \(first.file)", range: name.range,
                        notes: ["first declared at \(first.file):\(first.start.line):\(first.start.column); bundle names are unique in a deployment"])
                    diagnostics.append(duplicate)
                    fileDiagnostics.append(duplicate)
                } else {
                    firstDeclared[name.value] = name.range
                }
            }
            if let bundle, !fileDiagnostics.contains(where: { $0.severity == .error }) { bundles.append(bundle) }
        }
        diagnostics += FeedbackAnalysis.diagnostics(feedbackRules)
        return ValidationResult(bundles: bundles, diagnostics: sorted(diagnostics, fileOrder: files.map(\.path)))
    }

    /// Files in the order given, then by position, then by code (deterministic).
    static func sorted(_ diagnostics: [Diagnostic], fileOrder: [String]) -> [Diagnostic] {
        var rank: [String: Int] = [:]
        for (i, path) in fileOrder.enumerated() where rank[path] == nil { rank[path] = i }
        return diagnostics.enumerated().sorted { x, y in
            let (a, b) = (x.element, y.element)
            let (ra, rb) = (rank[a.range.file] ?? Int.max, rank[b.range.file] ?? Int.max)
            if ra != rb { return ra < rb }
            if a.range.start != b.range.start { return a.range.start < b.range.start }
            if a.range.end != b.range.end { return a.range.end < b.range.end }
            if a.code != b.code { return a.code < b.code }
            return x.offset < y.offset
        }.map(\.element)
    }
}
