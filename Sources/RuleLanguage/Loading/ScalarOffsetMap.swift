/// Maps positions inside a scalar's decoded value back to the file, for plain,
/// single-quoted, double-quoted (escapes included) and block (`|`, `>`) scalars:
/// `starts[i]` / `ends[i]` are the file scalar indices of the `i`-th scalar of the
/// value. The map is rebuilt from the file text and checked against libyaml's value;
/// when they disagree (an exotic form), every position falls back to the node's range.
struct ScalarOffsetMap {
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    let nodeStart: Int
    let nodeEnd: Int

    init(node: YAMLNode, value: String, source: SourceText) {
        nodeStart = node.start
        nodeEnd = node.end
        var builder = Builder(src: source, end: min(node.end, source.scalars.count))
        switch node.style {
        case .singleQuoted: builder.quoted(from: node.start + 1, double: false)
        case .doubleQuoted: builder.quoted(from: node.start + 1, double: true)
        case .literal, .folded: builder.block(from: node.start, folded: node.style == .folded)
        default: builder.plain(from: node.start)
        }
        if builder.out == Array(value.unicodeScalars) {
            starts = builder.starts
            ends = builder.ends
        }
    }

    /// The file range of value positions `[from, to)` (scalar offsets in the value).
    func range(_ from: Int, _ to: Int, in source: SourceText) -> SourceRange {
        guard !starts.isEmpty else { return source.range(nodeStart, nodeEnd) }
        let a = from < starts.count ? starts[from] : (ends.last ?? nodeStart)
        let b = to > from ? ends[min(to, ends.count) - 1] : a
        return source.range(a, b)
    }
}

private struct Builder {
    let src: SourceText
    let end: Int
    var out: [Unicode.Scalar] = []
    var starts: [Int] = []
    var ends: [Int] = []

    init(src: SourceText, end: Int) {
        self.src = src
        self.end = end
    }

    mutating func emit(_ c: Unicode.Scalar, _ a: Int, _ b: Int) {
        out.append(c)
        starts.append(a)
        ends.append(b)
    }

    func ch(_ i: Int) -> Unicode.Scalar { i < src.scalars.count ? src.scalars[i] : "\0" }

    /// Skips a line break at `i`, returning the index after it.
    func skipBreak(_ i: Int) -> Int { ch(i) == "\r" && ch(i + 1) == "\n" ? i + 2 : i + 1 }

    /// Folding of flow scalars: trailing blanks dropped, a single break becomes a space,
    /// each further empty line a newline, leading blanks of the next line dropped.
    /// Returns the index of the next content character.
    mutating func fold(at i: Int) -> Int {
        let breakAt = i
        var j = skipBreak(i)
        var newlines = 0
        while true {
            while src.isBlank(j) { j += 1 }
            if src.isBreak(j) && j < end { newlines += 1; j = skipBreak(j) } else { break }
        }
        if newlines == 0 { emit(" ", breakAt, breakAt + 1) }
        for _ in 0..<newlines { emit("\n", breakAt, breakAt + 1) }
        return j
    }

    /// Drops blanks pending before a break (they are not part of the value).
    mutating func dropTrailingBlanks(after count: Int) {
        while out.count > count, out.last == " " || out.last == "\t" {
            out.removeLast(); starts.removeLast(); ends.removeLast()
        }
    }

    mutating func plain(from start: Int) {
        var i = start
        var lineContentStart = 0
        while i < end {
            let c = ch(i)
            if src.isBreak(i) {
                dropTrailingBlanks(after: lineContentStart)
                i = fold(at: i)
                lineContentStart = out.count
                continue
            }
            emit(c, i, i + 1)
            i += 1
        }
        dropTrailingBlanks(after: 0)
    }

    mutating func quoted(from start: Int, double: Bool) {
        var i = start
        let close: Unicode.Scalar = double ? "\"" : "'"
        var lineContentStart = 0
        while i < end {
            let c = ch(i)
            if !double && c == "'" {
                if ch(i + 1) == "'" { emit("'", i, i + 2); i += 2; continue }
                return
            }
            if double && c == close { return }
            if double && c == "\\" {
                if src.isBreak(i + 1) {   // escaped line break: no space, next line's blanks dropped
                    var j = skipBreak(i + 1)
                    while src.isBlank(j) { j += 1 }
                    i = j
                    continue
                }
                i = escape(at: i)
                continue
            }
            if src.isBreak(i) {
                dropTrailingBlanks(after: lineContentStart)
                i = fold(at: i)
                lineContentStart = out.count
                continue
            }
            emit(c, i, i + 1)
            i += 1
        }
    }

    mutating func escape(at i: Int) -> Int {
        let simple: [Unicode.Scalar: Unicode.Scalar] = [
            "0": "\0", "a": "\u{07}", "b": "\u{08}", "t": "\t", "\t": "\t", "n": "\n", "v": "\u{0B}",
            "f": "\u{0C}", "r": "\r", "e": "\u{1B}", " ": " ", "\"": "\"", "/": "/", "\\": "\\",
            "N": "\u{85}", "_": "\u{A0}", "L": "\u{2028}", "P": "\u{2029}",
        ]
        let k = ch(i + 1)
        if let v = simple[k] { emit(v, i, i + 2); return i + 2 }
        let width = k == "x" ? 2 : k == "u" ? 4 : k == "U" ? 8 : 0
        guard width > 0 else { emit(k, i, i + 2); return i + 2 }
        var hex = ""
        for j in 0..<width { hex.unicodeScalars.append(ch(i + 2 + j)) }
        let scalar = UInt32(hex, radix: 16).flatMap(Unicode.Scalar.init) ?? "?"
        emit(scalar, i, i + 2 + width)
        return i + 2 + width
    }

    /// Block scalars: the header, then lines at the block's indentation; literal keeps
    /// breaks, folded turns a break between two normal lines into a space; clip/strip/keep
    /// chomping at the end.
    mutating func block(from start: Int, folded: Bool) {
        var i = start + 1
        var chomp: Unicode.Scalar = " "
        var explicitIndent = 0
        while i < end, !src.isBreak(i) {
            let c = ch(i)
            if c == "-" || c == "+" { chomp = c }
            if let d = Int(String(c)), d > 0 { explicitIndent = d }
            if c == "#" { while i < end, !src.isBreak(i) { i += 1 }; break }
            i += 1
        }
        i = skipBreak(i)
        var indent = 0
        if explicitIndent > 0 {
            indent = lineIndent(ofLineAt: start) + explicitIndent
        } else {
            var j = i
            while j < end {
                var k = j
                while ch(k) == " " { k += 1 }
                if src.isBreak(k) { j = skipBreak(k); continue }
                indent = k - j
                break
            }
        }
        var lines: [(start: Int, end: Int, breakAt: Int?)] = []
        while i < end {
            var k = i
            while ch(k) == " ", k - i < indent { k += 1 }
            var e = k
            while e < src.scalars.count, !src.isBreak(e) { e += 1 }
            if k - i < indent && e > k && ch(k) != "\n" {
                let blankOnly = (k..<e).allSatisfy { ch($0) == " " || ch($0) == "\t" }
                if !blankOnly { break }
            }
            lines.append((k, e, e < src.scalars.count ? e : nil))
            if e >= src.scalars.count { break }
            i = skipBreak(e)
        }
        while let last = lines.last, last.start >= end || (last.start..<last.end).allSatisfy({ ch($0) == " " }) && last.start >= end {
            lines.removeLast()
        }
        var contentLines = lines
        var trailingEmpty: [(start: Int, end: Int, breakAt: Int?)] = []
        while let last = contentLines.last, last.start == last.end || (last.start..<last.end).allSatisfy({ ch($0) == " " }) {
            trailingEmpty.insert(contentLines.removeLast(), at: 0)
        }
        var previousNormal = false
        var pendingBreak: Int?
        var pendingEmpty: [Int] = []
        for line in contentLines {
            let isEmpty = line.start == line.end
            let moreIndented = !isEmpty && (ch(line.start) == " " || ch(line.start) == "\t")
            if isEmpty {
                pendingEmpty.append(line.breakAt ?? line.start)
                continue
            }
            if let b = pendingBreak {
                if folded && previousNormal && !moreIndented && pendingEmpty.isEmpty {
                    emit(" ", b, b + 1)
                } else if !(folded && previousNormal && !moreIndented) {
                    emit("\n", b, b + 1)
                }
                for e in pendingEmpty { emit("\n", e, e + 1) }
                pendingEmpty = []
            }
            for j in line.start..<line.end { emit(ch(j), j, j + 1) }
            previousNormal = !moreIndented
            pendingBreak = line.breakAt
        }
        guard let last = pendingBreak, !contentLines.isEmpty else { return }
        if chomp != "-" { emit("\n", last, last + 1) }
        if chomp == "+" {
            for e in pendingEmpty { emit("\n", e, e + 1) }
            for line in trailingEmpty { if let b = line.breakAt { emit("\n", b, b + 1) } }
        }
    }

    func lineIndent(ofLineAt i: Int) -> Int {
        var k = src.lineStarts[src.location(at: i).line - 1]
        let s = k
        while ch(k) == " " { k += 1 }
        return k - s
    }
}
