import Logging
import VehicleData

/// Escaping of log values for `StructuredLogHandler`: JSON strings (RFC 8259, control
/// characters as `\uXXXX`) and logfmt values (quoted when they hold a space, `=`, `"`,
/// a control character or nothing). Neither ever lets a line break through.
enum LogEscaping {
    /// A JSON string literal.
    static func json(_ text: String) -> String { writer.quoted(text) }

    private static let writer = JSONWriter(escapeLineSeparators: true)

    /// A metadata value as JSON: strings, arrays and objects (keys sorted).
    static func json(value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return json(s)
        case .stringConvertible(let c): return json(c.description)
        case .array(let items): return "[" + items.map { json(value: $0) }.joined(separator: ",") + "]"
        case .dictionary(let map):
            return "{" + map.sorted { $0.key < $1.key }.map { json($0.key) + ":" + json(value: $0.value) }
                .joined(separator: ",") + "}"
        }
    }

    /// A metadata value as one text (arrays and objects as JSON).
    static func plain(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let c): return c.description
        case .array, .dictionary: return json(value: value)
        }
    }

    /// A logfmt value: bare when it is safe, quoted with escapes otherwise.
    static func logfmt(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains {
            $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
                || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
        return needsQuotes ? json(text) : text
    }

    /// A logfmt key: anything outside `[A-Za-z0-9_.-]` becomes `_`.
    static func logfmtKey(_ key: String) -> String {
        let mapped = key.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a" ... "z", "A" ... "Z", "0" ... "9", "_", ".", "-": return Character(scalar)
            default: return "_"
            }
        }
        return mapped.isEmpty ? "_" : String(mapped)
    }
}
