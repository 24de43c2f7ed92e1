import Foundation

/// A secret value from the configuration (`client_secret`, `webhook_secret`). It never
/// shows its value: `description`, `debugDescription`, `dump` (its mirror) and JSON
/// encoding all give `<redacted>`. Read it with `reveal()` only where it is sent.
package struct Secret: Sendable, Hashable {
    /// Where the value came from (shown in messages instead of the value).
    package enum Source: Sendable, Hashable, CustomStringConvertible {
        case file(String)
        case environment(String)
        /// Built in code (tests, the demo).
        case code

        package var description: String {
            switch self {
            case .file(let path): return "file \(path)"
            case .environment(let name): return "environment variable \(name)"
            case .code: return "code"
            }
        }
    }

    private let value: String
    package let source: Source

    package init(_ value: String, source: Source = .code) {
        self.value = value
        self.source = source
    }

    /// The value itself. Call only where it is sent (an HTTP header, a route path).
    package func reveal() -> String { value }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: ["source": source.description], displayStyle: .struct) }
}

extension Secret: Encodable {
    /// Encodes as the string `<redacted>`, never the value.
    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<redacted>")
    }
}
