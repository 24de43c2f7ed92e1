/// Shared state of loading one file: its text and the diagnostics collected so far,
/// with one helper per kind of structural finding.
struct LoadContext {
    let source: SourceText
    var diagnostics: [Diagnostic] = []

    func range(_ node: YAMLNode) -> SourceRange { source.range(node.start, node.end) }

    mutating func report(_ code: String, _ message: String, at range: SourceRange, notes: [String] = [],
                         severity: Severity? = nil) {
        let sev = severity ?? DiagnosticCode.named(code)?.severity ?? .error
        diagnostics.append(Diagnostic(severity: sev, code: code, message: MessageText.oneLine(message), range: range,
                                      notes: notes.map(MessageText.oneLine)))
    }

    mutating func wrongType(_ node: YAMLNode, expected: String, for key: String) {
        report("wrong-type", "`\(key)` must be \(expected), not \(node.kindName)", at: range(node))
    }

    /// Reads a mapping's keys: reports non-string keys, duplicates and keys outside
    /// `allowed` (keys starting with `x-` are free for anchors and tooling), and returns
    /// the first value of each known key.
    mutating func keyed(_ node: YAMLNode, allowed: [String], context: String) -> KeyedMapping {
        var out = KeyedMapping(range: range(node))
        guard case .mapping(let pairs) = node.kind else { return out }
        for (key, value) in pairs {
            guard let name = key.scalar, key.tag == nil else {
                report("unsupported-yaml", "keys must be plain text; this key is \(key.kindName)", at: range(key))
                continue
            }
            if let first = out.keys[name] {
                let l = first.range.start
                report("duplicate-key", "duplicate key `\(name)` in \(context)", at: range(key),
                       notes: ["first given at line \(l.line), column \(l.column)"])
                continue
            }
            if name.hasPrefix("x-") { continue }
            guard allowed.contains(name) else {
                report("unknown-key", "unknown key `\(name)` in \(context)", at: range(key),
                       notes: Suggestion.note(for: name, in: allowed) + ["valid keys: " + allowed.joined(separator: ", ")])
                continue
            }
            out.keys[name] = Located(value: key, range: range(key))
            out.values[name] = value
        }
        return out
    }

    mutating func requireKeys(_ m: KeyedMapping, _ names: [String], context: String, at range: SourceRange? = nil) {
        for name in names where m.values[name] == nil {
            report("missing-key", "\(context) needs a `\(name)` key", at: range ?? m.range)
        }
    }

    /// A scalar read as text (any non-null scalar, as written).
    mutating func text(_ node: YAMLNode?, key: String) -> Located<String>? {
        guard let node else { return nil }
        guard let s = node.scalar, node.resolved != .null else {
            wrongType(node, expected: "text", for: key)
            return nil
        }
        if let tag = node.tag, !isStringTag(tag) {
            unsupportedTag(node, tag)
            return nil
        }
        return Located(value: s, range: range(node))
    }

    mutating func scalar(_ node: YAMLNode?, key: String) -> Located<ScalarValue>? {
        guard let node else { return nil }
        guard node.scalar != nil else {
            wrongType(node, expected: "a single value", for: key)
            return nil
        }
        if let tag = node.tag, !isStringTag(tag) {
            unsupportedTag(node, tag)
            return nil
        }
        return Located(value: node.resolved, range: range(node))
    }

    mutating func embedded(_ node: YAMLNode?, key: String) -> EmbeddedText? {
        guard let node, let t = text(node, key: key) else { return nil }
        return EmbeddedText(text: t.value, map: ScalarOffsetMap(node: node, value: t.value, source: source), range: t.range)
    }

    func isStringTag(_ tag: String) -> Bool { tag == "tag:yaml.org,2002:str" || tag == "!" }

    mutating func unsupportedTag(_ node: YAMLNode, _ tag: String) {
        let short = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
        report("unsupported-yaml", "explicit tag `\(short)` is not supported in rule files (only `!!str`)", at: range(node),
               notes: short.hasPrefix("!!") ? [] : ["a leading `!` starts a YAML tag: write `not …` in conditions, or quote the text"])
    }

    /// The items of a sequence node, reporting another kind.
    mutating func items(_ node: YAMLNode?, key: String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard case .sequence(let items) = node.kind else {
            wrongType(node, expected: "a list", for: key)
            return nil
        }
        return items
    }
}

struct KeyedMapping {
    var range: SourceRange
    var keys: [String: Located<YAMLNode>] = [:]
    var values: [String: YAMLNode] = [:]
    subscript(_ key: String) -> YAMLNode? { values[key] }
}
