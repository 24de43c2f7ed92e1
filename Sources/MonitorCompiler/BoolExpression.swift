/// A parsed monitor `boolExp`: trigger names combined with `&`, `|`, `!` and parentheses.
/// The API's grammar gives `&` and `|` no precedence, so mixing them without parentheses
/// is refused here (as ambiguous) rather than guessed.
public indirect enum BoolExpression: Sendable, Hashable {
    case name(String)
    case not(BoolExpression)
    case and([BoolExpression])
    case or([BoolExpression])

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var description: String { "boolExp, character \(offset + 1): \(message)" }
    }

    public static func parse(_ text: String) throws -> BoolExpression {
        var p = Parser(chars: Array(text))
        let e = try p.expression()
        p.skipSpaces()
        if p.pos < p.chars.count { throw ParseError(message: "unexpected '\(p.chars[p.pos])'", offset: p.pos) }
        return e
    }

    public func evaluate(_ value: (String) -> Bool) -> Bool {
        switch self {
        case .name(let n): return value(n)
        case .not(let e): return !e.evaluate(value)
        case .and(let xs): return xs.allSatisfy { $0.evaluate(value) }
        case .or(let xs): return xs.contains { $0.evaluate(value) }
        }
    }

    public var names: Set<String> {
        switch self {
        case .name(let n): return [n]
        case .not(let e): return e.names
        case .and(let xs), .or(let xs): return xs.reduce(into: Set()) { $0.formUnion($1.names) }
        }
    }

    private struct Parser {
        let chars: [Character]
        var pos = 0

        mutating func skipSpaces() { while pos < chars.count, chars[pos] == " " { pos += 1 } }

        mutating func expression() throws -> BoolExpression {
            var parts = [try unary()]
            var op: Character? = nil
            while true {
                skipSpaces()
                guard pos < chars.count, chars[pos] == "&" || chars[pos] == "|" else { break }
                if let op, op != chars[pos] {
                    throw ParseError(message: "'&' and '|' mixed without parentheses", offset: pos)
                }
                op = chars[pos]
                pos += 1
                parts.append(try unary())
            }
            guard let op else { return parts[0] }
            return op == "&" ? .and(parts) : .or(parts)
        }

        mutating func unary() throws -> BoolExpression {
            skipSpaces()
            guard pos < chars.count else { throw ParseError(message: "expression ends too early", offset: pos) }
            if chars[pos] == "!" {
                pos += 1
                return .not(try unary())
            }
            if chars[pos] == "(" {
                pos += 1
                let e = try expression()
                skipSpaces()
                guard pos < chars.count, chars[pos] == ")" else { throw ParseError(message: "missing ')'", offset: pos) }
                pos += 1
                return e
            }
            let start = pos
            while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || "._-".contains(chars[pos]) { pos += 1 }
            guard pos > start else { throw ParseError(message: "expected a trigger name", offset: pos) }
            return .name(String(chars[start..<pos]))
        }
    }
}
