/// Recursive-descent parser for conditions (grammar in docs/grammar.md):
/// `or` < `and` < `not` < comparison; comparisons do not chain.
struct ExprParser {
    private var tokens: [ExprToken]
    private var p = 0
    private var nextID = 0
    private var depth = 0

    /// Parses a whole expression or returns its first syntax error.
    static func parse(_ text: String) -> Result<Expr, ExprSyntaxError> {
        do {
            var lexer = ExprLexer(text)
            var parser = ExprParser(tokens: try lexer.tokens())
            guard parser.tokens.count > 1 else {
                return .failure(ExprSyntaxError(message: "empty condition", start: 0, end: 0))
            }
            let e = try parser.parseOr()
            if parser.peek.kind != .end {
                throw ExprSyntaxError(message: "unexpected \(describe(parser.peek)) after a complete condition",
                                      start: parser.peek.start, end: parser.peek.end,
                                      notes: ["join conditions with `and` or `or`"])
            }
            return .success(e)
        } catch let error as ExprSyntaxError {
            return .failure(error)
        } catch {
            return .failure(ExprSyntaxError(message: "\(error)", start: 0, end: 0))
        }
    }

    private init(tokens: [ExprToken]) { self.tokens = tokens }

    private var peek: ExprToken { tokens[p] }

    private mutating func advance() -> ExprToken {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    private mutating func make(_ kind: ExprKind, _ start: Int, _ end: Int) -> Expr {
        nextID += 1
        return Expr(id: nextID, kind: kind, start: start, end: end)
    }

    private func isKeyword(_ k: String) -> Bool { peek.kind == .keyword(k) }
    private func isOp(_ o: String) -> Bool { peek.kind == .op(o) }

    static func describe(_ t: ExprToken) -> String {
        switch t.kind {
        case .name(let n): return "`\(n)`"
        case .number: return "a number"
        case .string(let s): return "\"\(s)\""
        case .op(let o): return "`\(o)`"
        case .keyword(let k): return "`\(k)`"
        case .end: return "end of condition"
        }
    }

    private func unexpected(_ expected: String) -> ExprSyntaxError {
        ExprSyntaxError(message: "expected \(expected), found \(Self.describe(peek))", start: peek.start, end: max(peek.end, peek.start + 1))
    }

    private mutating func parseOr() throws -> Expr {
        var items = [try parseAnd()]
        while isKeyword("or") {
            _ = advance()
            items.append(try parseAnd())
        }
        return items.count == 1 ? items[0] : make(.or(items), items[0].start, items[items.count - 1].end)
    }

    private mutating func parseAnd() throws -> Expr {
        var items = [try parseUnary()]
        while isKeyword("and") {
            _ = advance()
            items.append(try parseUnary())
        }
        return items.count == 1 ? items[0] : make(.and(items), items[0].start, items[items.count - 1].end)
    }

    private mutating func parseUnary() throws -> Expr {
        if isKeyword("not") {
            let t = advance()
            depth += 1
            guard depth <= RuleLimits.maxNesting else {
                throw ExprSyntaxError(message: "`not` nests deeper than \(RuleLimits.maxNesting) levels", start: t.start, end: t.end)
            }
            let inner = try parseUnary()
            depth -= 1
            return make(.not(inner), t.start, inner.end)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Expr {
        let left = try parseOperand()
        if case .op(let o) = peek.kind, let op = CompareOp(rawValue: o) {
            _ = advance()
            let right = try parseOperand()
            if case .op(let o2) = peek.kind, CompareOp(rawValue: o2) != nil {
                throw ExprSyntaxError(message: "comparisons do not chain", start: peek.start, end: peek.end,
                                      notes: ["write `a < x and x < b`"])
            }
            return make(.compare(op, left, right), left.start, right.end)
        }
        var negated = false
        if isKeyword("not"), p + 1 < tokens.count, tokens[p + 1].kind == .keyword("in") {
            _ = advance()
            negated = true
        }
        if isKeyword("in") {
            _ = advance()
            let (items, end) = try parseList()
            return make(.inList(left, items, negated: negated), left.start, end)
        }
        return left
    }

    private mutating func parseList() throws -> ([Expr], Int) {
        guard isOp("[") else { throw unexpected("`[` starting a list") }
        _ = advance()
        var items: [Expr] = []
        if !isOp("]") {
            repeat {
                if isOp(",") { _ = advance() }
                items.append(try parseOperand())
            } while isOp(",")
        }
        guard isOp("]") else { throw unexpected("`,` or `]`") }
        let end = advance().end
        return (items, end)
    }

    private mutating func parseOperand() throws -> Expr {
        let t = peek
        switch t.kind {
        case .number(let v, let unit):
            _ = advance()
            return make(.number(v, unit: unit), t.start, t.end)
        case .string(let s):
            _ = advance()
            return make(.string(s), t.start, t.end)
        case .keyword("true"), .keyword("false"):
            _ = advance()
            return make(.bool(t.kind == .keyword("true")), t.start, t.end)
        case .name(let n):
            _ = advance()
            guard isOp("(") else { return make(.name(n), t.start, t.end) }
            _ = advance()
            var args: [Expr] = []
            if !isOp(")") {
                args.append(try parseOperand())
                while isOp(",") {
                    _ = advance()
                    args.append(try parseOperand())
                }
            }
            guard isOp(")") else { throw unexpected("`,` or `)` in the call of `\(n)`") }
            let end = advance().end
            return make(.call(n, args: args), t.start, end)
        case .op("("):
            _ = advance()
            depth += 1
            guard depth <= RuleLimits.maxNesting else {
                throw ExprSyntaxError(message: "parentheses nest deeper than \(RuleLimits.maxNesting) levels", start: t.start, end: t.end)
            }
            let inner = try parseOr()
            depth -= 1
            guard isOp(")") else { throw unexpected("`)`") }
            let end = advance().end
            return Expr(id: inner.id, kind: inner.kind, start: t.start, end: end)
        default:
            throw unexpected("a field, a value or `(`")
        }
    }
}
