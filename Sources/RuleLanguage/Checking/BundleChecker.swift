import Foundation

/// AST → `CheckedBundle`: checks the file's settings, zones and schedules, then each
/// rule, then the bundle-wide warnings. The bundle is nil when any error was found.
struct BundleChecker {
    var ctx: CheckContext
    let ast: RuleFileAST

    static let namePattern = "[a-z0-9-]+"
    /// The bundle under which `vigie send` records manual commands: a rule bundle of
    /// that name would share their pauses, budgets and log lines.
    static let manualBundle = "manual"

    /// What checking one file gives: the bundle (nil on any error), the diagnostics, and
    /// every rule that checked, for the feedback analysis across bundles.
    static func check(_ ast: RuleFileAST, source: SourceText) -> (CheckedBundle?, [Diagnostic], [FeedbackRule]) {
        var checker = BundleChecker(ctx: CheckContext(source: source), ast: ast)
        let bundle = checker.run()
        return (checker.ctx.hasErrors ? nil : bundle, checker.ctx.diagnostics, checker.feedbackRules)
    }

    var feedbackRules: [FeedbackRule] = []

    init(ctx: CheckContext, ast: RuleFileAST) {
        self.ctx = ctx
        self.ast = ast
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-") }
            && !s.hasSuffix("-")
    }

    mutating func run() -> CheckedBundle? {
        checkVersion()
        let name = checkBundleName()
        let timeZone = checkTimeZone()
        checkAllow()
        for z in ast.zones { checkZone(z) }
        for s in ast.schedules {
            if let schedule = checkSchedule(s, inline: false) {
                ctx.schedules[s.name.value] = schedule
                ctx.scheduleOrder.append(s.name.value)
                ctx.scheduleRanges[s.name.value] = s.name.range
            }
        }
        var rules: [CheckedRule] = []
        var seen: [String: SourceRange] = [:]
        var ruleRanges: [SourceRange] = []
        for decl in ast.rules {
            if let id = decl.id {
                if let first = seen[id.value] {
                    ctx.report("duplicate-rule-id", "rule id `\(id.value)` is used twice in bundle `\(name ?? "")`", at: id.range,
                               notes: ["first used at line \(first.start.line), column \(first.start.column)"])
                } else {
                    seen[id.value] = id.range
                }
            }
            var rc = RuleChecker(ctx: ctx, decl: decl)
            let rule = rc.run()
            ctx = rc.ctx
            if let rule, decl.enabled?.value != false {
                rules.append(rule)
                ruleRanges.append(decl.when?.range ?? decl.range)
                feedbackRules.append(FeedbackRule(bundle: name ?? "", vehicles: vehicles(), rule: rule,
                                                  actionRanges: decl.then.map(\.range),
                                                  acknowledged: decl.allow.contains { $0.value == "feedback" }))
            }
        }
        reportUnused()
        BundleWarnings.conflicts(rules, whenRanges: ruleRanges, &ctx)
        var bundle = CheckedBundle(name: name ?? "", description: ast.description?.value, timeZone: timeZone,
                                   vehicles: vehicles(), zones: ctx.zoneOrder.compactMap { ctx.zones[$0] },
                                   schedules: ctx.scheduleOrder.compactMap { ctx.schedules[$0] }, rules: rules,
                                   allowedSensitiveActions: ctx.allowed, range: ast.range)
        bundle.notifyTo = checkNotifyTo()
        bundle.channelReferences = ctx.channelReferences
        return bundle
    }

    mutating func checkVersion() {
        guard let v = ast.version else { return }
        if case .string(let s) = v.value, s.trimmingCharacters(in: .whitespaces) == "1" {
            ctx.report("unsupported-version", "the format version is the number 1, not the text \"1\"; write `vigie: 1` without quotes",
                       at: v.range)
        } else if v.value != .int(1) {
            let shown: String
            switch v.value {
            case .int(let i): shown = "\(i)"
            case .string(let s): shown = "`\(s)`"
            default: shown = v.value.kindName
            }
            ctx.report("unsupported-version", "format version \(shown) is not supported; this Vigie reads `vigie: 1`", at: v.range)
        }
    }

    mutating func checkBundleName() -> String? {
        guard let b = ast.bundle else { return nil }
        guard Self.isName(b.value) else {
            let fixed = b.value.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            ctx.report("bad-bundle-name", "bundle name `\(b.value)` must match \(Self.namePattern)", at: b.range,
                       notes: Self.isName(fixed) ? ["e.g. `\(fixed)`"] : [])
            return nil
        }
        guard b.value != Self.manualBundle else {
            ctx.report("bad-bundle-name", "bundle name `\(b.value)` is reserved for commands sent by hand (`vigie send`)",
                       at: b.range, notes: ["e.g. `\(b.value)-rules`"])
            return nil
        }
        return b.value
    }

    mutating func checkTimeZone() -> String {
        guard let tz = ast.timezone else { return "UTC" }
        guard TimeZone(identifier: tz.value) != nil, tz.value.contains("/") || tz.value == "UTC" || tz.value == "GMT" else {
            ctx.report("unknown-timezone", "unknown time zone `\(tz.value)`", at: tz.range,
                       notes: Suggestion.note(for: tz.value, in: TimeZone.knownTimeZoneIdentifiers) + ["use an IANA name such as `Europe/Paris`"])
            return "UTC"
        }
        return tz.value
    }

    /// `notify_to: [NAME…]`: channel names (checked against `notifications.channels` by
    /// `vigie validate --config`, `serve`, `plan` and `apply`).
    mutating func checkNotifyTo() -> [String]? {
        guard let list = ast.notifyTo else { return nil }
        var names: [String] = []
        for item in list {
            guard NotifyActionChecker.isChannelName(item.value) else {
                ctx.report("bad-value", "`\(item.value)` is not a channel name (a-z, 0-9, - and _)", at: item.range)
                continue
            }
            names.append(item.value)
            ctx.channelReferences.insert(ChannelReference(name: item.value, range: item.range), at: 0)
        }
        if list.isEmpty { ctx.report("bad-value", "`notify_to` names no channel", at: ast.range) }
        return names
    }

    mutating func checkAllow() {
        for a in ast.allow {
            if ActionChecker.sensitive.contains(a.value) {
                ctx.allowed.insert(a.value)
            } else {
                ctx.report("bad-value", "`\(a.value)` is not a sensitive action that can be allowed", at: a.range,
                           notes: a.value == "feedback" ? ["a feedback loop is acknowledged per rule: `allow: [feedback]` in the rule"]
                               : Suggestion.note(for: a.value, in: ActionChecker.sensitive)
                               + ["allowable: " + ActionChecker.sensitive.joined(separator: ", ")])
            }
        }
    }

    func vehicles() -> VehicleSelection {
        switch ast.vehicles {
        case nil, .all?: return .all
        case .selectors(let list)?: return .selectors(list.map(\.value))
        }
    }

    mutating func reportUnused() {
        for name in ctx.zoneOrder where !ctx.usedZones.contains(name) {
            ctx.report("unused-zone", "zone `\(name)` is not used by any rule", at: ctx.zoneRanges[name]!)
        }
        for name in ctx.scheduleOrder where !ctx.usedSchedules.contains(name) {
            ctx.report("unused-schedule", "schedule `\(name)` is not used by any rule", at: ctx.scheduleRanges[name]!)
        }
    }
}
