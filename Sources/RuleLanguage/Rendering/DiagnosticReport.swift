/// What a renderer prints: the diagnostics to show (sorted by file and position,
/// `--strict` already applied, capped), how many were left out, counts for the
/// summary, and the source texts the text renderer quotes lines from.
public struct DiagnosticReport: Sendable {
    public var diagnostics: [Diagnostic]
    /// Diagnostics beyond the cap, not shown ("N more diagnostics not shown").
    public var omitted: Int
    public var summary: Summary
    /// File path (as in `SourceRange.file`) → its text.
    public var sources: [String: String]

    public struct Summary: Sendable, Hashable {
        public var files: Int
        /// Bundles and rules that checked without error.
        public var bundles: Int
        public var rules: Int
        /// Counted over all diagnostics, shown or not, after `--strict`.
        public var errors: Int
        public var warnings: Int
        public init(files: Int, bundles: Int, rules: Int, errors: Int, warnings: Int) {
            self.files = files
            self.bundles = bundles
            self.rules = rules
            self.errors = errors
            self.warnings = warnings
        }
    }

    public init(diagnostics: [Diagnostic], omitted: Int = 0, summary: Summary, sources: [String: String] = [:]) {
        self.diagnostics = diagnostics
        self.omitted = omitted
        self.summary = summary
        self.sources = sources
    }

    /// Builds a report from a validation result: sorts the diagnostics by file (in the
    /// order of `files`, then by path) and position, turns warnings into errors when
    /// `strict`, and keeps the first `maxDiagnostics` (nil: no cap).
    public init(result: ValidationResult, files: [SourceFile], strict: Bool = false, maxDiagnostics: Int? = 100) {
        var all = result.diagnostics
        if strict {
            for i in all.indices where all[i].severity == .warning { all[i].severity = .error }
        }
        let fileOrder = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        all = DiagnosticReport.sorted(all, fileOrder: fileOrder)
        let shown = maxDiagnostics.map { min(max($0, 0), all.count) } ?? all.count
        let summary = Summary(files: files.count, bundles: result.bundles.count,
                              rules: result.bundles.reduce(0) { $0 + $1.rules.count },
                              errors: all.filter { $0.severity == .error }.count,
                              warnings: all.filter { $0.severity == .warning }.count)
        self.init(diagnostics: Array(all.prefix(shown)), omitted: all.count - shown, summary: summary,
                  sources: Dictionary(files.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Stable order: file (given order, unknown files after, by path), start, end,
    /// severity, code, message.
    static func sorted(_ diagnostics: [Diagnostic], fileOrder: [String: Int]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            let fx = fileOrder[x.range.file] ?? Int.max, fy = fileOrder[y.range.file] ?? Int.max
            if fx != fy { return fx < fy }
            if x.range.file != y.range.file { return x.range.file < y.range.file }
            if x.range.start != y.range.start { return x.range.start < y.range.start }
            if x.range.end != y.range.end { return x.range.end < y.range.end }
            if x.severity != y.severity { return x.severity < y.severity }
            if x.code != y.code { return x.code < y.code }
            if x.message != y.message { return x.message < y.message }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Exit status of `vigie validate`: 1 when any error remains, else 0.
    public var exitCode: Int32 { summary.errors > 0 ? 1 : 0 }
}

extension DiagnosticReport.Summary {
    /// `3 files, 4 bundles, 27 rules: 1 error, 2 warnings`
    public var line: String {
        "\(Self.count(files, "file")), \(Self.count(bundles, "bundle")), \(Self.count(rules, "rule")): "
            + "\(Self.count(errors, "error")), \(Self.count(warnings, "warning"))"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

extension DiagnosticReport {
    /// `N more diagnostics not shown`, or nil when none was left out.
    public var omittedLine: String? {
        guard omitted > 0 else { return nil }
        return "\(omitted) more diagnostic\(omitted == 1 ? "" : "s") not shown (raise --max-diagnostics to see them)"
    }
}
