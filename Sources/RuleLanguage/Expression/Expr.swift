/// The untyped syntax tree of a `when:` expression. Positions are offsets (in Unicode
/// scalars) into the expression text; the checker maps them to the file through the
/// scalar's `ScalarOffsetMap` and keeps its findings in side tables keyed by `id`.
struct Expr {
    let id: Int
    let kind: ExprKind
    /// `[start, end)` in the expression text.
    let start: Int
    let end: Int
}

indirect enum ExprKind {
    case name(String)
    /// A number with its unit as written (`20 %`, `-5 °C`, `500 m`), unit nil when absent.
    case number(Double, unit: String?)
    case string(String)
    case bool(Bool)
    case call(String, args: [Expr])
    case compare(CompareOp, Expr, Expr)
    case inList(Expr, [Expr], negated: Bool)
    /// Two or more operands (chains are kept flat, never deeply nested).
    case and([Expr])
    case or([Expr])
    case not(Expr)
}

/// A syntax error at `[start, end)` of the expression text.
struct ExprSyntaxError: Error {
    let message: String
    let start: Int
    let end: Int
    var notes: [String] = []
}
