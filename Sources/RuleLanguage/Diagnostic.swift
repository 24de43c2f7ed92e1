public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error, warning, note
    private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A user-facing finding with a stable code (e.g. `unknown-key`), a position and
/// optional notes ("did you mean `battery.level`?").
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var code: String
    public var message: String
    public var range: SourceRange
    public var notes: [String]
    public init(severity: Severity, code: String, message: String, range: SourceRange, notes: [String] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.range = range
        self.notes = notes
    }
}
