/// A rule file's text as Unicode scalars, with line starts, so that a scalar index
/// (what libyaml's `mark.index` counts) maps to a 1-based line and column.
struct SourceText {
    let path: String
    let scalars: [Unicode.Scalar]
    /// Scalar index of the first character of each line.
    let lineStarts: [Int]

    init(path: String, text: String) {
        self.path = path
        // libyaml skips a byte-order mark without counting it in its marks; so do we.
        var all = Array(text.unicodeScalars)
        if all.first == "\u{FEFF}" { all.removeFirst() }
        scalars = all
        var starts = [0]
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                i += 2
                starts.append(i)
                continue
            }
            i += 1
            if c == "\n" || c == "\r" { starts.append(i) }
        }
        lineStarts = starts
    }

    func location(at index: Int) -> SourceLocation {
        let index = max(0, min(index, scalars.count))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return SourceLocation(line: lo + 1, column: index - lineStarts[lo] + 1)
    }

    func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file: path, start: location(at: start), end: location(at: max(start, end)))
    }

    /// The scalar index of a line (1-based) and column (1-based).
    func index(line: Int, column: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return scalars.count }
        return min(lineStarts[line - 1] + column - 1, scalars.count)
    }

    func isBreak(_ i: Int) -> Bool { i < scalars.count && (scalars[i] == "\n" || scalars[i] == "\r") }
    func isBlank(_ i: Int) -> Bool { i < scalars.count && (scalars[i] == " " || scalars[i] == "\t") }
}
