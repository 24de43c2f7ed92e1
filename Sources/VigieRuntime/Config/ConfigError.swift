/// One mistake in a `vigie.yaml`: `file:line:column: message` (1-based; columns count
/// Unicode scalars), or `file: message` for an unreadable file (line 0).
package struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// What `VigieConfig.load` throws: every mistake found in the file (collected, in file
/// order), one per line of `description`.
package struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    package var issues: [ConfigIssue]

    package init(issues: [ConfigIssue]) { self.issues = issues }
    package init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.issues = [ConfigIssue(file: file, line: line, column: column, message: message)]
    }

    /// The first issue's position and message.
    package var file: String { issues.first?.file ?? "" }
    package var line: Int { issues.first?.line ?? 0 }
    package var column: Int { issues.first?.column ?? 0 }
    package var message: String { issues.first?.message ?? "" }

    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
