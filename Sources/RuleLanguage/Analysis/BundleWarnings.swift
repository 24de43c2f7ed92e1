/// Bundle-wide warnings: two rules that send opposite commands under conditions that
/// can hold together (each rule is reported once per pair of opposite commands,
/// against the first rule it conflicts with).
enum BundleWarnings {
    static let opposites: [(RemoteCommand, RemoteCommand, String)] = [
        (.chargeStart, .chargeStop, "start and stop charging"),
        (.preconditionStart, .preconditionStop, "start and stop preconditioning"),
        (.doorsLock, .doorsUnlock, "lock and unlock the doors"),
    ]
    /// Pairs of conjunctions examined at most, so huge bundles stay fast.
    static let maxChecks = 200_000

    static func conflicts(_ rules: [CheckedRule], whenRanges: [SourceRange], _ ctx: inout CheckContext) {
        var checks = 0
        var dnfs: [Int: [ConditionAnalysis.Conjunct]] = [:]
        func dnf(_ i: Int) -> [ConditionAnalysis.Conjunct]? {
            if let d = dnfs[i] { return d }
            let d = ConditionAnalysis.dnf(rules[i].condition)
            dnfs[i] = d
            return d
        }
        for (a, b, what) in opposites {
            let sendsA = rules.indices.filter { rules[$0].sends(a) }
            let sendsB = rules.indices.filter { rules[$0].sends(b) }
            guard !sendsA.isEmpty, !sendsB.isEmpty else { continue }
            for j in sendsB {
                for i in sendsA where i != j {
                    guard let di = dnf(i), let dj = dnf(j) else { continue }
                    checks += di.count * dj.count
                    guard checks <= maxChecks else { return }
                    let overlap = di.contains { ci in dj.contains { cj in ConditionAnalysis.isSatisfiable(ci + cj) } }
                    guard overlap else { continue }
                    let (first, second) = i < j ? (i, j) : (j, i)
                    let l = whenRanges[first].start
                    ctx.report("conflicting-rules",
                               "rules `\(rules[first].id)` and `\(rules[second].id)` \(what) under conditions that can hold together",
                               at: whenRanges[second],
                               notes: ["`\(rules[first].id)` is at line \(l.line), column \(l.column)",
                                       "make the conditions exclusive, e.g. with thresholds that do not overlap"])
                    break   // one warning per rule and command pair is enough
                }
            }
        }
    }
}

extension CheckedRule {
    func sends(_ command: RemoteCommand) -> Bool {
        actions.contains { if case .remote(let c) = $0 { return c == command } else { return false } }
    }
}
