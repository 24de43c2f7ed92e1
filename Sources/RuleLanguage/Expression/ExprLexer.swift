/// Tokens of the expression language (see docs/grammar.md).
struct ExprToken: Equatable {
    enum Kind: Equatable {
        case name(String)
        case number(Double, unit: String?)
        case string(String)
        case op(String)       // < <= > >= == != ( ) [ ] ,
        case keyword(String)  // and or not in true false
        case end
    }
    let kind: Kind
    let start: Int
    let end: Int
}

struct ExprLexer {
    static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false"]
    /// Unit spellings after a number; what each means depends on the field's dimension.
    static let units = ["%", "km/h", "km", "m", "°C", "s", "min", "h", "d", "kW"]

    let s: [Unicode.Scalar]
    var i = 0

    init(_ text: String) { s = Array(text.unicodeScalars) }

    func ch(_ k: Int) -> Unicode.Scalar { k < s.count ? s[k] : "\0" }
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || (c.value > 127 && c.properties.isAlphabetic)
    }
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    mutating func tokens() throws -> [ExprToken] {
        var out: [ExprToken] = []
        while true {
            while Self.isSpace(ch(i)) { i += 1 }
            let start = i
            guard i < s.count else { out.append(ExprToken(kind: .end, start: i, end: i)); return out }
            let c = ch(i)
            if Self.isDigit(c) || ((c == "-" || c == ".") && (Self.isDigit(ch(i + 1)) || (ch(i + 1) == "." && Self.isDigit(ch(i + 2))))) {
                out.append(try number())
            } else if Self.isLetter(c) {
                let name = self.name()
                out.append(ExprToken(kind: Self.keywords.contains(name) ? .keyword(name) : .name(name), start: start, end: i))
            } else if c == "\"" || c == "'" {
                out.append(try string(quote: c))
            } else {
                out.append(try symbol())
            }
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*` segments joined by `.`; `-` inside a name (zone names).
    mutating func name() -> String {
        var out = ""
        while true {
            let c = ch(i)
            if Self.isLetter(c) || Self.isDigit(c) {
                out.unicodeScalars.append(c); i += 1
            } else if (c == "." || c == "-"), Self.isLetter(ch(i + 1)) || Self.isDigit(ch(i + 1)) {
                out.unicodeScalars.append(c); i += 1
            } else {
                return out
            }
        }
    }

    mutating func number() throws -> ExprToken {
        let start = i
        var text = ""
        if ch(i) == "-" { text = "-"; i += 1 }
        while Self.isDigit(ch(i)) || ch(i) == "." || ch(i) == "_" {
            if ch(i) != "_" { text.unicodeScalars.append(ch(i)) }
            i += 1
        }
        if (ch(i) == "e" || ch(i) == "E"), Self.isDigit(ch(i + 1)) || ((ch(i + 1) == "-" || ch(i + 1) == "+") && Self.isDigit(ch(i + 2))) {
            text.unicodeScalars.append(ch(i)); i += 1
            if ch(i) == "-" || ch(i) == "+" { text.unicodeScalars.append(ch(i)); i += 1 }
            while Self.isDigit(ch(i)) { text.unicodeScalars.append(ch(i)); i += 1 }
        }
        guard let value = Double(text), value.isFinite else {
            throw ExprSyntaxError(message: "malformed number `\(text)`", start: start, end: i)
        }
        let numberEnd = i
        var j = i
        while ch(j) == " " || ch(j) == "\t" { j += 1 }
        if let unit = unit(at: j) {
            i = j + unit.unicodeScalars.count
            return ExprToken(kind: .number(value, unit: unit), start: start, end: i)
        }
        if Self.isLetter(ch(j)) {
            var probe = self
            probe.i = j
            let word = probe.name()
            if !Self.keywords.contains(word) {
                throw ExprSyntaxError(message: "unknown unit `\(word)`", start: j, end: probe.i,
                                      notes: ["units: %, km, m, km/h, °C, kW, and for durations s, m (minutes), h, d"])
            }
        }
        return ExprToken(kind: .number(value, unit: nil), start: start, end: numberEnd)
    }

    func unit(at j: Int) -> String? {
        for u in Self.units {
            let us = Array(u.unicodeScalars)
            guard j + us.count <= s.count, Array(s[j..<(j + us.count)]) == us else { continue }
            let after = ch(j + us.count)
            if Self.isLetter(us.last!) && (Self.isLetter(after) || Self.isDigit(after)) { continue }
            return u
        }
        return nil
    }

    mutating func string(quote: Unicode.Scalar) throws -> ExprToken {
        let start = i
        i += 1
        var out = ""
        while i < s.count, ch(i) != quote {
            out.unicodeScalars.append(ch(i)); i += 1
        }
        guard i < s.count else {
            throw ExprSyntaxError(message: "unterminated string", start: start, end: i)
        }
        i += 1
        return ExprToken(kind: .string(out), start: start, end: i)
    }

    mutating func symbol() throws -> ExprToken {
        let start = i
        let c = ch(i), n = ch(i + 1)
        let two = String(String.UnicodeScalarView([c, n]))
        if ["<=", ">=", "==", "!="].contains(two) {
            i += 2
            return ExprToken(kind: .op(two), start: start, end: i)
        }
        if "<>()[],".unicodeScalars.contains(c) {
            i += 1
            return ExprToken(kind: .op(String(c)), start: start, end: i)
        }
        let hints: [String: String] = ["&&": "and", "||": "or", "=": "==", "!": "not"]
        let symbol = hints[two] != nil ? two : String(c)
        if let hint = hints[symbol] {
            throw ExprSyntaxError(message: "unexpected `\(symbol)`", start: start, end: start + symbol.unicodeScalars.count,
                                  notes: ["did you mean `\(hint)`?"])
        }
        throw ExprSyntaxError(message: "unexpected character `\(c)`", start: start, end: start + 1)
    }
}
