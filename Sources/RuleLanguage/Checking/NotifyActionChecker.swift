/// `notify: {text, title, to, priority}` (DESIGN.md "Rule files", docs/notifications.md):
/// `text` is required, `title` is a template like it, `to` a channel name or a list of
/// them, `priority` one of low, normal, high, urgent. Channel names are only checked for
/// their form here; `ChannelCheck` checks them against a configuration.
enum NotifyActionChecker {
    static let keys = ["text", "title", "to", "priority"]
    static let priorities = ["low", "normal", "high", "urgent"]

    static func isChannelName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy {
            ("a" ... "z").contains($0) || ("0" ... "9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}

extension ActionChecker {
    mutating func notifyMapping(_ pairs: [(key: Located<String>, value: ActionArgument)], _ range: SourceRange) -> Action? {
        var template: Template?, title: [Template.Part]?, to: [String]?, priority: String?
        var ok = true
        for (key, value) in pairs {
            switch key.value {
            case "text", "title":
                guard case .scalar(let v, let text) = value, v.value != .null, let text else {
                    ok = false
                    ctx.report("bad-action", "`notify` `\(key.value)` is a text, not \(describe(value))", at: value.range)
                    continue
                }
                guard let checked = TemplateChecker.check(text, &ctx) else { ok = false; continue }
                if key.value == "text" { template = checked } else { title = checked.parts }
            case "to":
                guard let names = channelNames(value) else { ok = false; continue }
                to = names
            case "priority":
                guard case .scalar(let v, _) = value, case .string(let s) = v.value,
                      NotifyActionChecker.priorities.contains(s) else {
                    ok = false
                    ctx.report("bad-action", "`notify` `priority` is one of low, normal, high, urgent; not \(describe(value))",
                               at: value.range, notes: word(of: value).map { Suggestion.note(for: $0, in: NotifyActionChecker.priorities) } ?? [])
                    continue
                }
                priority = s
            default:
                ok = false
                ctx.report("bad-action", "`notify` takes text, title, to and priority; not `\(key.value)`", at: key.range,
                           notes: Suggestion.note(for: key.value, in: NotifyActionChecker.keys))
            }
        }
        guard var template else {
            if ok { ctx.report("bad-action", "`notify: {…}` needs `text`, the message", at: range) }
            return nil
        }
        guard ok else { return nil }
        template.title = title
        template.to = to
        template.priority = priority
        return .notify(template)
    }

    /// `to: phone` or `to: [phone, mail]`: names recorded with their ranges.
    mutating func channelNames(_ value: ActionArgument) -> [String]? {
        let items: [ActionArgument]
        switch value {
        case .scalar: items = [value]
        case .list(let list, let range):
            guard !list.isEmpty else {
                ctx.report("bad-action", "`notify` `to` names no channel", at: range)
                return nil
            }
            items = list
        default:
            ctx.report("bad-action", "`notify` `to` is a channel name or a list of them, not \(describe(value))", at: value.range)
            return nil
        }
        var names: [String] = []
        for item in items {
            guard case .scalar(let v, _) = item, case .string(let name) = v.value, NotifyActionChecker.isChannelName(name) else {
                ctx.report("bad-action", "`notify` `to`: \(describe(item)) is not a channel name (a-z, 0-9, - and _)", at: item.range)
                return nil
            }
            names.append(name)
            ctx.channelReferences.append(ChannelReference(name: name, range: item.range))
        }
        return names
    }
}
