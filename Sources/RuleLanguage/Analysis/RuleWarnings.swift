/// Warnings about one checked rule: a condition that is never or always true, a rule
/// that can never fire, and `for` on a condition that needs an event.
enum RuleWarnings {
    static func check(_ rule: CheckedRule, unfolded: Condition, decl: RuleDecl, _ ctx: inout CheckContext) {
        let whenRange = decl.when?.range ?? decl.range
        let whenSat = ConditionAnalysis.isSatisfiable(unfolded)
        if whenSat == false {
            ctx.report("always-false", "this condition can never be true", at: whenRange,
                       notes: ["its comparisons contradict each other, so rule `\(rule.id)` never fires"])
        } else if ConditionAnalysis.isAlwaysTrue(unfolded) == true {
            ctx.report("always-true", "this condition is true whatever the data, once known", at: whenRange,
                       notes: ["rule `\(rule.id)` fires on the first observation and never re-arms"])
        }
        let duringRange = decl.during.first.map(rangeOf) ?? decl.range
        if whenSat == true, !rule.during.isEmpty, ConditionAnalysis.isSatisfiable(rule.condition) == false {
            ctx.report("never-fires", "rule `\(rule.id)` can never fire: its condition never holds during its schedules",
                       at: duringRange)
        } else if let max = rule.maxPerDay, max == 0, let v = decl.maxPerDay {
            ctx.report("never-fires", "rule `\(rule.id)` can never fire: `max_per_day: 0` suppresses every firing", at: v.range)
        } else if let seconds = rule.forSeconds, !rule.during.isEmpty, let f = decl.forDuration {
            let union = rule.during.reduce(WeekMask(full: false)) { $0.union(WeekMask($1)) }
            if let longest = union.longestRun, Double(longest) * 60 < seconds {
                ctx.report("never-fires",
                           "rule `\(rule.id)` can never fire: `for` is longer than its longest `during` window (\(longest) min)",
                           at: f.range)
            }
        }
        if let f = decl.forDuration, rule.forSeconds != nil, ConditionAnalysis.needsEvent(rule.condition) {
            ctx.report("event-with-for", "`for` can never hold: the condition needs an event (entered, left or changed)",
                       at: f.range, notes: ["an event is true only at the observation that causes it; remove `for`"])
        }
    }

    static func rangeOf(_ item: DuringItem) -> SourceRange {
        switch item {
        case .name(let n): return n.range
        case .inline(let s): return s.range
        }
    }
}
