/// A monitor's `boolExp`: trigger names combined with `&`, `|`, `!` and parentheses.
/// The grammar gives `&` and `|` no precedence, so an expression mixing them at one level
/// without parentheses is refused.
package indirect enum SimBoolExpr: Sendable, Hashable {
    case name(String)
    case not(SimBoolExpr)
    case and([SimBoolExpr])
    case or([SimBoolExpr])

    package func evaluate(_ value: (String) -> Bool) -> Bool {
        switch self {
        case .name(let n): return value(n)
        case .not(let e): return !e.evaluate(value)
        case .and(let es): return es.allSatisfy { $0.evaluate(value) }
        case .or(let es): return es.contains { $0.evaluate(value) }
        }
    }

    package var names: Set<String> {
        switch self {
        case .name(let n): return [n]
        case .not(let e): return e.names
        case .and(let es), .or(let es): return es.reduce(into: Set()) { $0.formUnion($1.names) }
        }
    }

    /// `true` / `false` when the expression has that value under every assignment of its
    /// names (checked by enumerating them), else nil.
    package var constantValue: Bool? {
        let vars = names.sorted()
        var seen = Set<Bool>()
        for mask in 0..<(1 << vars.count) {
            let r = evaluate { n in mask & (1 << vars.firstIndex(of: n)!) != 0 }
            seen.insert(r)
            if seen.count == 2 { return nil }
        }
        return seen.first
    }

    /// Parses `text`; the error says what is wrong and at which character.
    package static func parse(_ text: String) -> Result<SimBoolExpr, SimBoolExprError> {
        var p = Parser(chars: Array(text), pos: 0)
        do {
            let e = try p.expression()
            p.skipSpaces()
            if p.pos < p.chars.count { throw SimBoolExprError(message: "unexpected '\(p.chars[p.pos])' at \(p.pos + 1)") }
            return .success(e)
        } catch let e as SimBoolExprError {
            return .failure(e)
        } catch {
            return .failure(SimBoolExprError(message: "\(error)"))
        }
    }

    private struct Parser {
        let chars: [Character]
        var pos: Int

        mutating func skipSpaces() { while pos < chars.count, chars[pos].isWhitespace { pos += 1 } }

        mutating func expression() throws -> SimBoolExpr {
            var items = [try unary()]
            var op: Character?
            while true {
                skipSpaces()
                guard pos < chars.count, chars[pos] == "&" || chars[pos] == "|" else { break }
                let c = chars[pos]
                if let op, op != c {
                    throw SimBoolExprError(message: "'&' and '|' mixed without parentheses at \(pos + 1)")
                }
                op = c
                pos += 1
                items.append(try unary())
            }
            guard let op else { return items[0] }
            return op == "&" ? .and(items) : .or(items)
        }

        mutating func unary() throws -> SimBoolExpr {
            skipSpaces()
            guard pos < chars.count else { throw SimBoolExprError(message: "unexpected end of expression") }
            let c = chars[pos]
            if c == "!" { pos += 1; return .not(try unary()) }
            if c == "(" {
                pos += 1
                let e = try expression()
                skipSpaces()
                guard pos < chars.count, chars[pos] == ")" else { throw SimBoolExprError(message: "missing ')' at \(pos + 1)") }
                pos += 1
                return e
            }
            var name = ""
            while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || "._-".contains(chars[pos]) {
                name.append(chars[pos])
                pos += 1
            }
            if name.isEmpty { throw SimBoolExprError(message: "expected a trigger name at \(pos + 1), found '\(c)'") }
            return .name(name)
        }
    }
}

package struct SimBoolExprError: Error, Sendable, Hashable {
    package var message: String
}
