/// The one JSON writer of `JSONValue`: deterministic text, object keys sorted, `/` and
/// non-ASCII characters left as they are, integral numbers without a decimal point.
/// The same value always gives the same bytes, so goldens, dedup keys and signatures
/// stay stable. Its users differ only in the settings below: rule-tool output
/// (`CanonicalJSON`, pretty or spaced), webhook messages (`MessageJSON`, compact,
/// integers below 10¹⁵), the simulator (`SimJSON`, integers up to 2⁵³) and log lines.
public struct JSONWriter: Sendable {
    public enum Layout: Sendable {
        /// `{"a":1,"b":[1,2]}`
        case compact
        /// `{"a": 1, "b": [1, 2]}`
        case spaced
        /// Two-space indent, one member or item a line, `"key": value`.
        case pretty
    }

    public var layout: Layout
    /// Integral numbers of smaller magnitude print as integers (`18`, `2000000000000000`);
    /// others in Swift's shortest form that reads back exactly (`0.5`, `1e+19`).
    public var integralBelow: Double
    /// `\b` and `\f` for backspace and form feed (else `\u0008`, `\u000c`).
    public var shortControlEscapes: Bool
    /// DEL, U+2028 and U+2029 escaped too (`\u007f`, `\u2028`, `\u2029`): text that must
    /// stay on one line for any reader (log records).
    public var escapeLineSeparators: Bool

    public init(layout: Layout = .compact, integralBelow: Double = 9.2e18, shortControlEscapes: Bool = false,
                escapeLineSeparators: Bool = false) {
        self.layout = layout
        self.integralBelow = integralBelow
        self.shortControlEscapes = shortControlEscapes
        self.escapeLineSeparators = escapeLineSeparators
    }

    /// Compact, integers up to Int64's range, `\u` escapes for control characters.
    public static let compact = JSONWriter()

    public func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out, indent: layout == .pretty ? 0 : nil)
        return out
    }

    public func bytes(_ value: JSONValue) -> [UInt8] { Array(string(value).utf8) }

    /// A number as this writer prints it. Non-finite values have no JSON form: `null`.
    public func number(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n.rounded() == n, abs(n) < integralBelow, abs(n) < 9.2e18 { return String(Int64(n)) }
        return "\(n)"
    }

    /// A JSON string literal, quotes included.
    public func quoted(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + 2)
        writeString(s, to: &out)
        return out
    }

    private func write(_ value: JSONValue, to out: inout String, indent: Int?) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += number(n)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            writeContainer(items, open: "[", close: "]", to: &out, indent: indent) { item, out, inner in
                write(item, to: &out, indent: inner)
            }
        case .object(let object):
            writeContainer(object.keys.sorted(), open: "{", close: "}", to: &out, indent: indent) { key, out, inner in
                writeString(key, to: &out)
                out += layout == .compact ? ":" : ": "
                write(object[key]!, to: &out, indent: inner)
            }
        }
    }

    private func writeContainer<T>(_ items: [T], open: String, close: String, to out: inout String,
                                   indent: Int?, each: (T, inout String, Int?) -> Void) {
        guard !items.isEmpty else { out += open + close; return }
        out += open
        let inner = indent.map { $0 + 2 }
        for (i, item) in items.enumerated() {
            if i > 0 { out += layout == .spaced ? ", " : "," }
            if let inner { out += "\n" + String(repeating: " ", count: inner) }
            each(item, &out, inner)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    private func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}" where shortControlEscapes: out += "\\b"
            case "\u{0C}" where shortControlEscapes: out += "\\f"
            case "\u{7F}", "\u{2028}", "\u{2029}":
                if escapeLineSeparators { out += Self.unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
            default:
                if scalar.value < 0x20 { out += Self.unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    /// `\u` and four lower-case hex digits.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
