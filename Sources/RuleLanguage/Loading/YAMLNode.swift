/// A YAML node as composed from libyaml events: scalars keep their text and style,
/// every node its start and end (scalar indices into the file, see `SourceText`).
struct YAMLNode {
    enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded, flow, block }

    enum Kind {
        case scalar(String)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var kind: Kind
    var style: Style
    /// An explicit tag (`!!str`, `!foo`), nil when implicit.
    var tag: String?
    var start: Int
    var end: Int
    /// Nodes in this subtree (aliases included), for the alias-expansion limit.
    var size: Int

    var scalar: String? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    var kindName: String {
        switch kind {
        case .scalar: return resolved.kindName
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The YAML 1.2 core-schema reading of a scalar: only true/True/TRUE/false/False/FALSE
    /// are booleans, `on`/`yes` and `22:00` are strings, quoted scalars always strings.
    var resolved: ScalarValue {
        guard case .scalar(let s) = kind else { return .string("") }
        // Tagged scalars read as text (`!!str`; other tags are reported by the loader).
        guard tag == nil, style == .plain else { return .string(s) }
        return ScalarValue.core(s)
    }
}

/// A scalar resolved with the YAML 1.2 core schema.
enum ScalarValue: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "text"
        }
    }

    /// The value as a diagnostic quotes what it received: text in double quotes
    /// (`"25:00"`), numbers, booleans and null as written in YAML.
    var received: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return "\(i)"
        case .float(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            return "\(d)"
        case .string(let s):
            var out = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }
    }

    static func core(_ s: String) -> ScalarValue {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let u = Array(s.utf8)
        if isInt(u) { return Int(s).map(ScalarValue.int) ?? .float(Double(s) ?? 0) }
        if u.count > 2, u[0] == UInt8(ascii: "0") {
            if u[1] == UInt8(ascii: "o"), let v = Int(String(s.dropFirst(2)), radix: 8) { return .int(v) }
            if u[1] == UInt8(ascii: "x"), let v = Int(String(s.dropFirst(2)), radix: 16) { return .int(v) }
        }
        if isFloat(u), let d = Double(s) { return .float(d) }
        return .string(s)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

    private static func isInt(_ u: [UInt8]) -> Bool {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
        guard i < u.count else { return false }
        return u[i...].allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ u: [UInt8]) -> Bool {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0
        while i < u.count, isDigit(u[i]) { i += 1; digits += 1 }
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, isDigit(u[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
            var exp = 0
            while i < u.count, isDigit(u[i]) { i += 1; exp += 1 }
            if exp == 0 { return false }
        }
        return i == u.count
    }
}
