/// A position in a source file: 1-based line and column, columns counting Unicode
/// scalar values (SEMANTICS.md).
public struct SourceLocation: Sendable, Hashable, Comparable, Codable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}

/// A half-open range `[start, end)` in one file. Every AST node and every diagnostic
/// carries one.
public struct SourceRange: Sendable, Hashable, Codable {
    /// The path as the user gave it (never made absolute: goldens stay stable).
    public var file: String
    public var start: SourceLocation
    public var end: SourceLocation
    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = end
    }
}
