import VehicleData

/// The JSON bodies the channels POST, written by VehicleData's one JSON writer: compact,
/// keys sorted, `/` and non-ASCII characters as they are, `\b` and `\f` for backspace and
/// form feed, and U+2028, U+2029 and DEL escaped — deterministic bytes, so tests and
/// signatures see the same body.
package enum NotificationJSON {
    package static let writer = JSONWriter(shortControlEscapes: true, escapeLineSeparators: true)

    package static func bytes(_ value: JSONValue) -> [UInt8] { writer.bytes(value) }

    package static func string(_ value: JSONValue) -> String { writer.string(value) }

    /// `.string(value)` or `.null`.
    package static func optional(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
