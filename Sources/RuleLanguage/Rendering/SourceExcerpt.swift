/// The line a diagnostic points into and the caret line under its range, as the
/// text renderer prints them. Columns count Unicode scalar values (SEMANTICS.md);
/// tabs before the range are kept in the caret line so the carets line up.
public struct SourceExcerpt: Sendable, Hashable {
    public var line: String
    public var carets: String

    /// Nil when the file's text is unknown or the range's line is not in it.
    public init?(range: SourceRange, lines: [Substring]) {
        let index = range.start.line - 1
        guard index >= 0, index < lines.count else { return nil }
        var scalars = Array(lines[index].unicodeScalars)
        if scalars.last == "\r" { scalars.removeLast() }
        let startColumn = max(range.start.column, 1)
        let lead = scalars.prefix(startColumn - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        let padding = String(repeating: " ", count: max(0, startColumn - 1 - scalars.count))
        let width: Int
        if range.end.line == range.start.line {
            width = range.end.column - startColumn
        } else {
            // A range over several lines: underline to the end of the first one.
            width = scalars.count - (startColumn - 1)
        }
        var line = String.UnicodeScalarView()
        line.append(contentsOf: scalars)
        self.line = String(line)
        self.carets = lead + padding + String(repeating: "^", count: max(width, 1))
    }

    /// The text split into lines at `\n` and `\r\n` (one `Character` in Swift).
    public static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
