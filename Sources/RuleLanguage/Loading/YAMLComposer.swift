import CYaml

/// Reads one YAML document from libyaml's event stream into `YAMLNode`s, enforcing
/// the limits of `RuleLimits` while streaming, before any work grows: the file size
/// before parsing; the nesting depth, the number of aliases and the nodes they
/// expand to as each event arrives; a second document as soon as it starts.
/// Aliases share the anchored node's storage (copy-on-write), so memory stays bounded.
struct YAMLComposer {
    let source: SourceText
    let text: String
    private(set) var diagnostics: [Diagnostic] = []

    init(text: String, source: SourceText) {
        self.text = text
        self.source = source
    }

    private struct Frame {
        var isMapping: Bool
        var start: Int
        var tag: String?
        var style: YAMLNode.Style
        var anchor: String?
        var items: [YAMLNode] = []
        var size = 1
    }

    private struct Stop: Error {}

    /// The document's root node, or nil (with diagnostics) when the file is refused
    /// or is not well-formed.
    mutating func compose() -> YAMLNode? {
        if text.utf8.count > RuleLimits.maxFileBytes {
            fail("file-too-large", "file is \(text.utf8.count) bytes; rule files are limited to 4 MiB (4194304 bytes)", 0, 0)
            return nil
        }
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }   // a BOM, as SourceText drops it
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        return bytes.withUnsafeMutableBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do { return try run(&parser) } catch { return nil }
        }
    }

    private mutating func run(_ parser: inout yaml_parser_t) throws -> YAMLNode? {
        var stack: [Frame] = []
        var anchors: [String: YAMLNode] = [:]
        var root: YAMLNode?
        var documents = 0, aliases = 0, expanded = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                syntaxError(parser)
                throw Stop()
            }
            defer { yaml_event_delete(&event) }
            let start = Int(event.start_mark.index), end = Int(event.end_mark.index)
            var node: YAMLNode?
            var anchor: String?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    fail("multiple-documents", "a rule file holds one YAML document; a second one starts here", start, end)
                    throw Stop()
                }
            case YAML_ALIAS_EVENT:
                aliases += 1
                let name = cString(event.data.alias.anchor) ?? ""
                if aliases > RuleLimits.maxAliases {
                    fail("too-many-aliases", "more than \(RuleLimits.maxAliases) aliases in one file", start, end)
                    throw Stop()
                }
                guard var target = anchors[name] else {
                    fail("yaml-syntax", "alias `*\(name)` names no anchor defined before it", start, end)
                    throw Stop()
                }
                expanded += target.size
                if expanded > RuleLimits.maxAliasExpansion {
                    fail("too-many-aliases",
                         "aliases expand to more than \(RuleLimits.maxAliasExpansion) nodes (an alias bomb?)", start, end)
                    throw Stop()
                }
                target.start = start
                target.end = end
                node = target
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let tag = (s.plain_implicit == 0 && s.quoted_implicit == 0) ? cString(s.tag) : nil
                node = YAMLNode(kind: .scalar(value), style: scalarStyle(s.style), tag: tag, start: start, end: end, size: 1)
                anchor = cString(s.anchor)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                if stack.count >= RuleLimits.maxNesting {
                    fail("nesting-too-deep", "collections nest deeper than \(RuleLimits.maxNesting) levels", start, end)
                    throw Stop()
                }
                let tagged = isMapping ? (event.data.mapping_start.implicit == 0 ? cString(event.data.mapping_start.tag) : nil)
                    : (event.data.sequence_start.implicit == 0 ? cString(event.data.sequence_start.tag) : nil)
                let flow = isMapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                    : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                stack.append(Frame(isMapping: isMapping, start: start, tag: tagged, style: flow ? .flow : .block,
                                   anchor: cString(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let frame = stack.removeLast()
                node = finish(frame, end: end)
                anchor = frame.anchor
            default:
                break
            }
            guard var done = node else { continue }
            if let anchor { anchors[anchor] = done }
            if stack.isEmpty {
                root = done
            } else {
                done.size = max(done.size, 1)
                stack[stack.count - 1].items.append(done)
                stack[stack.count - 1].size += done.size
            }
        }
    }

    private func finish(_ frame: Frame, end: Int) -> YAMLNode {
        // A block collection's end event sits at the next token; end at the last child instead.
        let last = frame.items.last?.end ?? end
        let stop = frame.style == .flow ? end : max(frame.start, min(end, last))
        if frame.isMapping {
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            pairs.reserveCapacity(frame.items.count / 2)
            var i = 0
            while i + 1 < frame.items.count {
                pairs.append((frame.items[i], frame.items[i + 1]))
                i += 2
            }
            return YAMLNode(kind: .mapping(pairs), style: frame.style, tag: frame.tag, start: frame.start, end: stop, size: frame.size)
        }
        return YAMLNode(kind: .sequence(frame.items), style: frame.style, tag: frame.tag, start: frame.start, end: stop, size: frame.size)
    }

    private func scalarStyle(_ s: yaml_scalar_style_t) -> YAMLNode.Style {
        switch s {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    private mutating func syntaxError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) { message += " " + context }
        let mark = parser.problem_mark
        let start = source.index(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        fail("yaml-syntax", message, start, start + 1)
    }

    private mutating func fail(_ code: String, _ message: String, _ start: Int, _ end: Int) {
        diagnostics.append(Diagnostic(severity: .error, code: code, message: MessageText.oneLine(message), range: source.range(start, end)))
    }

    private func cString(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }
}
