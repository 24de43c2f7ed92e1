/// A stable diagnostic code as data (SwiftLint style): its identifier, default
/// severity, a one-line summary, and a triggering and a non-triggering example.
/// These drive the docs, the `examples/` folder, the goldens and the tests.
///
/// Examples are complete rule files. `triggeringFile()` returns the triggering
/// example as a file (only `file-too-large` pads it past the size limit).
public struct DiagnosticCode: Sendable, Hashable {
    /// The stable identifier, e.g. `unknown-key`.
    public let id: String
    public let severity: Severity
    public let summary: String
    public let triggering: String
    public let nonTriggering: String

    public init(_ id: String, _ severity: Severity, _ summary: String, triggering: String, nonTriggering: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }

    /// The triggering example as a complete file.
    public func triggeringFile() -> String {
        guard id == DiagnosticCode.fileTooLarge.id else { return triggering }
        let line = "# " + String(repeating: "padding ", count: 127) + "\n"   // 1,024 bytes
        return triggering + String(repeating: line, count: RuleLimits.maxFileBytes / line.utf8.count + 1)
    }

    /// Every code, in documentation order.
    public static var all: [DiagnosticCode] { DiagnosticCodeCatalog.all }

    /// Lookup by identifier.
    public static func named(_ id: String) -> DiagnosticCode? { DiagnosticCodeCatalog.byID[id] }
}

/// Hard limits enforced before work grows (issue 2, item 7).
public enum RuleLimits {
    public static let maxFileBytes = 4 * 1024 * 1024
    public static let maxNesting = 64
    public static let maxAliases = 100
    /// Nodes an alias may bring in, all aliases of a file together.
    public static let maxAliasExpansion = 10_000
    public static let maxRulesPerFile = 5_000
}

extension DiagnosticCode {
    public static var fileTooLarge: DiagnosticCode { DiagnosticCodeCatalog.fileTooLarge }
}
