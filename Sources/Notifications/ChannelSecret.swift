/// A secret of a channel (a bot token, an SMTP password, a webhook secret, a webhook URL
/// that carries its token). It never shows its value: `description`, `debugDescription`
/// and `dump` give `<redacted>`. Read it with `reveal()` only where it is sent.
package struct ChannelSecret: Sendable, Hashable {
    private let value: String
    /// Where it came from (`environment variable NAME`, `file PATH`), for messages.
    package let source: String

    package init(_ value: String, source: String = "code") {
        self.value = value
        self.source = source
    }

    package func reveal() -> String { value }
}

extension ChannelSecret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: ["source": source], displayStyle: .struct) }
}
