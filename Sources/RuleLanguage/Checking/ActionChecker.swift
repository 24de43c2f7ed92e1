/// Checks one `then:` item against the API's remotes (SEMANTICS.md "What a firing
/// sends") and the bundle's opt-ins for sensitive actions.
struct ActionChecker {
    /// Actions that open the car to others; refused unless the bundle lists them in `allow:`.
    static let sensitive = ["doors.unlock"]
    static let chargeLevels = ["Level1", "Level2", "Level3", "Level4", "Level5"]
    static let chargeTypes = ["Partial", "Full"]

    static func check(_ a: ActionDecl, _ ctx: inout CheckContext) -> Action? {
        var checker = ActionChecker(ctx: ctx, action: a)
        let result = checker.run()
        ctx = checker.ctx
        return result
    }

    var ctx: CheckContext
    let action: ActionDecl

    mutating func bad(_ message: String, _ range: SourceRange, notes: [String] = []) -> Action? {
        ctx.report("bad-action", message, at: range, notes: notes)
        return nil
    }

    var word: String? {
        if case .scalar(let v, _) = action.argument, case .string(let s) = v.value { return s }
        return nil
    }

    mutating func choice(_ options: [String: RemoteCommand]) -> Action? {
        let kind = action.kind.value
        let names = options.keys.sorted()
        guard let w = word, let command = options[w] else {
            return bad("`\(kind)` takes " + names.map { "`\($0)`" }.joined(separator: " or ") + ", not \(describe(action.argument))",
                       action.argument.range, notes: word.map { Suggestion.note(for: $0, in: names) } ?? [])
        }
        return .remote(command)
    }

    func describe(_ arg: ActionArgument) -> String {
        switch arg {
        case .scalar(let v, _):
            if case .string(let s) = v.value { return "`\(s)`" }
            if case .bool(let b) = v.value { return "`\(b)`" }
            return v.value.kindName
        case .mapping: return "a mapping"
        case .list: return "a list"
        case .other(let k, _): return k
        }
    }

    mutating func run() -> Action? {
        switch action.kind.value {
        case "charge": return charge()
        case "precondition": return choice(["start": .preconditionStart, "stop": .preconditionStop])
        case "doors":
            let result = choice(["lock": .doorsLock, "unlock": .doorsUnlock])
            if result == .remote(.doorsUnlock), !ctx.allowed.contains("doors.unlock") {
                ctx.report("sensitive-action", "`doors: unlock` opens the car to others; the bundle must opt in",
                           at: action.range, notes: ["add `allow: [doors.unlock]` at the top of the file (see docs/safety.md)"])
                return nil
            }
            return result
        case "horn": return choice(["on": .hornOn])
        case "lights": return choice(["on": .lightsOn])
        case "wake_up":
            if case .scalar(let v, _) = action.argument, v.value == .bool(true) { return .remote(.wakeUp) }
            return bad("`wake_up` takes `true`, not \(describe(action.argument))", action.argument.range)
        case "navigate": return navigate()
        default: return notify()
        }
    }

    mutating func notify() -> Action? {
        if case .mapping(let pairs, let range) = action.argument { return notifyMapping(pairs, range) }
        guard case .scalar(let v, let text) = action.argument, v.value != .null, let text else {
            return bad("`notify` takes a message text or `{text, title, to, priority}`, not \(describe(action.argument))",
                       action.argument.range)
        }
        return TemplateChecker.check(text, &ctx).map { .notify($0) }
    }

    mutating func charge() -> Action? {
        if case .scalar = action.argument { return choice(["start": .chargeStart, "stop": .chargeStop]) }
        guard case .mapping(let pairs, let range) = action.argument else {
            return bad("`charge` takes `start`, `stop`, `{at: \"HH:MM\"}` or `{level: …, type: …}`", action.argument.range)
        }
        let keys = pairs.map(\.key.value)
        if keys == ["at"] {
            guard case .scalar(let v, _) = pairs[0].value, let m = ValueReader.minutes(v.value, allowMidnightEnd: false) else {
                let got: String
                switch pairs[0].value {
                case .scalar(let v, _): got = v.value.received
                case .mapping: got = "a mapping"
                case .list: got = "a list"
                case .other(let kind, _): got = kind
                }
                ctx.report("bad-time", "`at` must be a time `HH:MM` from 00:00 to 23:59, got \(got)", at: pairs[0].value.range)
                return nil
            }
            return .remote(.chargeAt(hour: m / 60, minute: m % 60))
        }
        var level: String?, type: String?
        var ok = !pairs.isEmpty
        for (key, value) in pairs {
            let options = key.value == "level" ? Self.chargeLevels : key.value == "type" ? Self.chargeTypes : nil
            guard let options else {
                ctx.report("bad-action", "`charge` takes `at`, or `level` and/or `type`; not `\(key.value)`", at: key.range,
                           notes: Suggestion.note(for: key.value, in: ["at", "level", "type"]))
                ok = false
                continue
            }
            guard case .scalar(let v, _) = value, case .string(let s) = v.value, options.contains(s) else {
                ctx.report("bad-action", "charging `\(key.value)` is one of " + options.joined(separator: ", "), at: value.range,
                           notes: word(of: value).map { Suggestion.note(for: $0, in: options) } ?? [])
                ok = false
                continue
            }
            if key.value == "level" { level = s } else { type = s }
        }
        if pairs.isEmpty { return bad("`charge` needs `at`, `level` or `type`", range) }
        return ok ? .remote(.chargePreferences(level: level, type: type)) : nil
    }

    func word(of arg: ActionArgument) -> String? {
        if case .scalar(let v, _) = arg, case .string(let s) = v.value { return s }
        return nil
    }
}
