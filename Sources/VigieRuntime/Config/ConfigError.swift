/// One mistake in a `vigie.yaml`: `file:line:column: message` (1-based; columns count
/// Unicode scalars), or `file: message` for an unreadable file (line 0).
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// What `VigieConfig.load` throws: every mistake found in the file (collected, in file
/// order), one per line of `description`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }
    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.issues = [ConfigIssue(file: file, line: line, column: column, message: message)]
    }

    /// The first issue's position and message.
    public var file: String { issues.first?.file ?? "" }
    public var line: Int { issues.first?.line ?? 0 }
    public var column: Int { issues.first?.column ?? 0 }
    public var message: String { issues.first?.message ?? "" }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
