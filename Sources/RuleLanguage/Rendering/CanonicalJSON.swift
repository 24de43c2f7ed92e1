import VehicleData

/// Deterministic JSON text for `JSONValue`: object keys sorted, integral numbers
/// without a decimal point, `/` and non-ASCII characters left as they are. The same
/// value always prints the same bytes on every platform (goldens stay stable).
public enum CanonicalJSON {
    /// Pretty output (two-space indent, `"key": value`) or a single compact line.
    public static func text(_ value: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        write(value, to: &out, indent: pretty ? 0 : nil)
        return out
    }

    private static func write(_ value: JSONValue, to out: inout String, indent: Int?) {
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
            let keys = object.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
            writeContainer(keys, open: "{", close: "}", to: &out, indent: indent) { key, out, inner in
                writeString(key, to: &out)
                out += ": "
                write(object[key]!, to: &out, indent: inner)
            }
        }
    }

    private static func writeContainer<T>(_ items: [T], open: String, close: String, to out: inout String,
                                          indent: Int?, each: (T, inout String, Int?) -> Void) {
        guard !items.isEmpty else { out += open + close; return }
        out += open
        let inner = indent.map { $0 + 2 }
        for (i, item) in items.enumerated() {
            if i > 0 { out += indent == nil ? ", " : "," }
            if let inner { out += "\n" + String(repeating: " ", count: inner) }
            each(item, &out, inner)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    /// Integral values without a decimal point; others in Swift's shortest form that
    /// reads back exactly. Non-finite values have no JSON form and print as `null`.
    static func number(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        // Up to Int64's range: Swift's own form would print 2e15 as `2000000000000000.0`.
        if n.rounded() == n, abs(n) < 9.2e18 { return String(Int64(n)) }
        return "\(n)"
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
