/// "Did you mean …?": the nearest candidate by edit distance (Levenshtein, case
/// folded), when it is close enough to be a plausible typo. The one did-you-mean of the
/// package: rule files, configuration keys and names, events files, `vigie explain`.
package enum Suggestion {
    /// The nearest candidate within `maxDistance` edits (by default 1 for words of up to
    /// 4 characters, 2 up to 7, 3 beyond); the first of equals. Nil for words longer than
    /// 64 characters: no typo of a known name is that long.
    package static func nearest(to word: String, in candidates: [String], maxDistance: Int? = nil) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        guard w.count <= 64 else { return nil }
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        let limit = maxDistance ?? max(1, min(3, (w.count + 2) / 3))
        return d <= limit ? name : nil
    }

    static func note(for word: String, in candidates: [String]) -> [String] {
        nearest(to: word, in: candidates).map { ["did you mean `\($0)`?"] } ?? []
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
