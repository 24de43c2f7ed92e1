/// Checks one rule: its id, condition (with `during` folded in as `and within(…)`),
/// durations, limits, mode and actions; then the rule's own warnings.
struct RuleChecker {
    var ctx: CheckContext
    let decl: RuleDecl
    private var failed = false

    static let modes = RuleMode.allCases.map(\.rawValue)

    init(ctx: CheckContext, decl: RuleDecl) {
        self.ctx = ctx
        self.decl = decl
    }

    mutating func run() -> CheckedRule? {
        let errorsBefore = ctx.diagnostics.filter { $0.severity == .error }.count
        let id = decl.id?.value ?? ""
        if let rid = decl.id, !BundleChecker.isName(rid.value) {
            ctx.report("bad-rule-id", "rule id `\(rid.value)` must match \(BundleChecker.namePattern)", at: rid.range)
        }
        var condition: Condition?
        if let when = decl.when {
            var cc = ConditionChecker(text: when, ctx: ctx)
            condition = cc.check()
            ctx = cc.ctx
        }
        let during = checkDuring()
        let forSeconds = duration(decl.forDuration, key: "for")
        let repeatSeconds = duration(decl.repeatEvery, key: "repeat")
        let cooldown = duration(decl.cooldown, key: "cooldown")
        let maxPerDay = checkMaxPerDay()
        var mode = RuleMode.single
        if let m = decl.mode {
            if let parsed = RuleMode(rawValue: m.value) { mode = parsed } else {
                ctx.report("bad-value", "`mode` is one of " + Self.modes.joined(separator: ", ") + ", not `\(m.value)`", at: m.range,
                           notes: Suggestion.note(for: m.value, in: Self.modes))
            }
        }
        checkAllow()
        let actions = decl.then.compactMap { ActionChecker.check($0, &ctx) }
        let errorsAfter = ctx.diagnostics.filter { $0.severity == .error }.count
        guard errorsAfter == errorsBefore, let condition, let during else { return nil }
        let folded = during.isEmpty ? condition
            : .and([condition, during.count == 1 ? .within(during[0]) : .or(during.map { .within($0) })])
        let rule = CheckedRule(id: id, description: decl.description?.value, condition: folded, during: during,
                               forSeconds: forSeconds, repeatSeconds: repeatSeconds, cooldownSeconds: cooldown,
                               maxPerDay: maxPerDay, mode: mode, actions: actions, range: decl.range)
        RuleWarnings.check(rule, unfolded: condition, decl: decl, &ctx)
        return rule
    }

    mutating func checkDuring() -> [Schedule]? {
        var out: [Schedule] = []
        var ok = true
        for item in decl.during {
            switch item {
            case .name(let n):
                if let s = ctx.schedules[n.value] {
                    ctx.usedSchedules.insert(n.value)
                    out.append(s)
                } else if ctx.invalidNames.contains(n.value) {
                    ok = false
                } else {
                    ok = false
                    ctx.report("unknown-schedule", "no schedule named `\(n.value)` in this bundle", at: n.range,
                               notes: Suggestion.note(for: n.value, in: ctx.scheduleOrder))
                }
            case .inline(let decl):
                var bc = BundleChecker(ctx: ctx, ast: RuleFileAST(range: decl.range))
                let s = bc.checkSchedule(decl, inline: true)
                ctx = bc.ctx
                if let s { out.append(s) } else { ok = false }
            }
        }
        return ok ? out : nil
    }

    mutating func duration(_ v: Located<ScalarValue>?, key: String) -> Double? {
        guard let v else { return nil }
        switch ValueReader.seconds(v.value) {
        case .success(let s) where s > 0:
            return s
        case .success:
            ctx.report("out-of-range", "`\(key)` must be longer than zero", at: v.range)
        case .failure(.missingUnit):
            ctx.report("missing-unit", "`\(key)` needs a unit: s, m (minutes), h or d", at: v.range,
                       notes: ["e.g. `\(key): 5m`"])
        case .failure:
            ctx.report("bad-duration", "`\(key)` is not a duration", at: v.range,
                       notes: ["write a number and a unit s, m (minutes), h or d: `30s`, `5m`, `1h30m`, `1d`"])
        }
        return nil
    }

    /// Opt-ins a rule may give: only `feedback` (sensitive actions are allowed per bundle).
    static let ruleAllowances = ["feedback"]

    mutating func checkAllow() {
        for a in decl.allow where !Self.ruleAllowances.contains(a.value) {
            let bundleLevel = ActionChecker.sensitive.contains(a.value)
            ctx.report("bad-value", "`\(a.value)` cannot be allowed on a rule; a rule allows only `feedback`", at: a.range,
                       notes: bundleLevel ? ["sensitive actions are allowed for the whole bundle: `allow: [\(a.value)]` at the top of the file"]
                           : Suggestion.note(for: a.value, in: Self.ruleAllowances))
        }
    }

    mutating func checkMaxPerDay() -> Int? {
        guard let v = decl.maxPerDay else { return nil }
        guard case .int(let n) = v.value else {
            ctx.report("wrong-type", "`max_per_day` must be a whole number, not \(v.value.kindName)", at: v.range)
            return nil
        }
        guard n >= 0 else {
            ctx.report("out-of-range", "`max_per_day` cannot be negative", at: v.range)
            return nil
        }
        return n
    }
}
