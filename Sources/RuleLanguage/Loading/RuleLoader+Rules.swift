extension RuleLoader {
    static let actionKinds = ["charge", "precondition", "doors", "horn", "lights", "wake_up", "navigate", "notify"]

    mutating func readRule(_ node: YAMLNode) -> RuleDecl? {
        guard case .mapping = node.kind else {
            ctx.wrongType(node, expected: "a mapping with `id`, `when` and `then`", for: "rules")
            return nil
        }
        let m = ctx.keyed(node, allowed: Self.ruleKeys, context: "a rule")
        var rule = RuleDecl(range: ctx.range(node))
        ctx.requireKeys(m, ["id", "when", "then"], context: "a rule", at: ctx.source.range(node.start, node.start))
        rule.id = ctx.text(m["id"], key: "id")
        rule.description = ctx.text(m["description"], key: "description")
        rule.when = ctx.embedded(m["when"], key: "when")
        rule.forDuration = ctx.scalar(m["for"], key: "for")
        rule.cooldown = ctx.scalar(m["cooldown"], key: "cooldown")
        rule.repeatEvery = ctx.scalar(m["repeat"], key: "repeat")
        rule.maxPerDay = ctx.scalar(m["max_per_day"], key: "max_per_day")
        rule.mode = ctx.text(m["mode"], key: "mode")
        if let e = ctx.scalar(m["enabled"], key: "enabled") {
            if case .bool(let b) = e.value { rule.enabled = Located(value: b, range: e.range) } else {
                ctx.report("wrong-type", "`enabled` must be true or false, not \(e.value.kindName)", at: e.range)
            }
        }
        rule.allow = (ctx.items(m["allow"], key: "allow") ?? []).compactMap { ctx.text($0, key: "allow") }
        rule.during = readDuring(m["during"])
        if let items = ctx.items(m["then"], key: "then") {
            rule.then = items.compactMap { readAction($0) }
        }
        return rule
    }

    mutating func readDuring(_ node: YAMLNode?) -> [DuringItem] {
        guard let node else { return [] }
        let items: [YAMLNode]
        if case .sequence(let list) = node.kind { items = list } else { items = [node] }
        var out: [DuringItem] = []
        for item in items {
            switch item.kind {
            case .scalar:
                if let t = ctx.text(item, key: "during") { out.append(.name(t)) }
            case .mapping:
                let l = ctx.range(item).start
                let name = Located(value: "inline@\(l.line):\(l.column)", range: ctx.range(item))
                if let s = readSchedule(name, item) { out.append(.inline(s)) }
            case .sequence:
                ctx.wrongType(item, expected: "a schedule name or an inline `{days, from, to}` schedule", for: "during")
            }
        }
        return out
    }

    mutating func readAction(_ node: YAMLNode) -> ActionDecl? {
        guard case .mapping(let pairs) = node.kind, pairs.count == 1, let kindName = pairs[0].key.scalar else {
            ctx.report("bad-action", "an action is a one-key mapping such as `charge: start` or `notify: \"…\"`",
                       at: ctx.range(node))
            return nil
        }
        let (key, value) = pairs[0]
        let kind = Located(value: kindName, range: ctx.range(key))
        guard Self.actionKinds.contains(kindName) else {
            ctx.report("bad-action", "unknown action `\(kindName)`", at: kind.range,
                       notes: Suggestion.note(for: kindName, in: Self.actionKinds)
                           + ["actions: " + Self.actionKinds.joined(separator: ", ")])
            return nil
        }
        return ActionDecl(kind: kind, argument: readArgument(value, key: kindName, depth: 0), range: ctx.range(node))
    }

    mutating func readArgument(_ node: YAMLNode, key: String, depth: Int) -> ActionArgument {
        switch node.kind {
        case .scalar:
            let v = ctx.scalar(node, key: key) ?? Located(value: .null, range: ctx.range(node))
            // Template texts: `notify: "…"`, and `text:`/`title:` of `notify: {…}` (the only
            // actions with those keys).
            let text = key == "notify" || key == "text" || key == "title" ? ctx.embedded(node, key: key) : nil
            return .scalar(v, text)
        case .mapping(let pairs):
            guard depth < 2 else { return .other(kind: node.kindName, ctx.range(node)) }
            var seen = Set<String>()
            var out: [(key: Located<String>, value: ActionArgument)] = []
            for (k, v) in pairs {
                guard let name = k.scalar else {
                    ctx.report("unsupported-yaml", "keys must be plain text; this key is \(k.kindName)", at: ctx.range(k))
                    continue
                }
                guard seen.insert(name).inserted else {
                    ctx.report("duplicate-key", "duplicate key `\(name)` in `\(key)`", at: ctx.range(k))
                    continue
                }
                out.append((Located(value: name, range: ctx.range(k)), readArgument(v, key: name, depth: depth + 1)))
            }
            return .mapping(out, ctx.range(node))
        case .sequence(let items) where key == "to" && depth == 1:
            return .list(items.map { readArgument($0, key: "to", depth: depth + 1) }, ctx.range(node))
        case .sequence:
            return .other(kind: node.kindName, ctx.range(node))
        }
    }
}
