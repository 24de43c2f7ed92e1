import Foundation
import RuleEngine
import RuleLanguage
import VehicleData

/// Runs rule unit-test files: each test replays its timeline against the bundles under
/// test and compares the decisions with what it expects.
package enum RuleTestRunner {
    package struct Options: Sendable {
        package var paths: [String]
        package var junitPath: String?
        package var coverage: Bool
        package init(paths: [String], junitPath: String? = nil, coverage: Bool = false) {
            self.paths = paths
            self.junitPath = junitPath
            self.coverage = coverage
        }
    }

    package struct CaseResult: Sendable {
        package var file: String
        package var name: String
        package var failures: [String]
        package var seconds: Double
        package var passed: Bool { failures.isEmpty }
    }

    package struct Summary: Sendable {
        package var results: [CaseResult]
        /// `bundle/rule` of every rule under test, and those some test made fire.
        package var rules: [String]
        package var firedRules: Set<String>
        package var passed: Int { results.filter(\.passed).count }
        package var failed: Int { results.count - passed }
        package var uncovered: [String] { rules.filter { !firedRules.contains($0) } }
    }

    /// Runs every test of the given files (a file that cannot be loaded counts as one failure).
    package static func run(paths: [String], in directory: URL) -> Summary {
        var summary = Summary(results: [], rules: [], firedRules: [])
        for path in paths {
            let file: RuleTestFile
            do { file = try RuleTestFile.load(path: path, in: directory) } catch {
                summary.results.append(CaseResult(file: path, name: "(file)", failures: ["\(error)"], seconds: 0))
                continue
            }
            let bundles: [CheckedBundle]
            switch ReplayInputs.loadBundles(file.ruleFiles, in: directory) {
            case .failure(let f):
                summary.results.append(CaseResult(file: path, name: "(rule files)", failures: [f.message], seconds: 0))
                continue
            case .success(let (b, _)): bundles = b
            }
            for b in bundles {
                for r in b.rules where !summary.rules.contains("\(b.name)/\(r.id)") { summary.rules.append("\(b.name)/\(r.id)") }
            }
            let runner = ReplayRunner(bundles: bundles, inventory: file.inventory)
            for test in file.cases {
                let clock = ContinuousClock(), begin = clock.now
                let decisions = runner.run(test.events.map { ($0.at, $0.vin, $0.observation) }, until: test.until).decisions
                for d in decisions where d.event == .fired { summary.firedRules.insert("\(d.bundle)/\(d.rule)") }
                let elapsed = clock.now - begin
                summary.results.append(CaseResult(file: path, name: test.name, failures: check(test, decisions),
                                                  seconds: Double(elapsed.components.attoseconds) / 1e18
                                                      + Double(elapsed.components.seconds)))
            }
        }
        return summary
    }

    /// What went wrong, one message per problem (empty when the test passes).
    static func check(_ test: RuleTestFile.Case, _ all: [Decision]) -> [String] {
        var failures: [String] = []
        let decisions = all.filter { d in test.rules.map { $0.contains(d.rule) || $0.contains("\(d.bundle)/\(d.rule)") } ?? true }
        for (i, e) in test.expect.enumerated() {
            guard i < decisions.count else {
                failures.append("expected decision \(i + 1) (line \(e.line)) did not happen:\n    expected: \(describe(e))")
                continue
            }
            let problems = mismatches(e, decisions[i])
            if !problems.isEmpty {
                failures.append("decision \(i + 1) (line \(e.line)) differs (\(problems.joined(separator: ", "))):\n"
                                + "    expected: \(describe(e))\n    got:      \(ReplayFormat.jsonLine(decisions[i]))")
            }
        }
        if decisions.count > test.expect.count {
            let extra = decisions[test.expect.count...].map { "    got:      \(ReplayFormat.jsonLine($0))" }
            failures.append("\(extra.count) unexpected decision(s):\n" + extra.joined(separator: "\n"))
        }
        for rule in test.never {
            for d in all where d.event == .fired && (d.rule == rule || "\(d.bundle)/\(d.rule)" == rule) {
                failures.append("rule \(rule) must never fire, but fired:\n    got:      \(ReplayFormat.jsonLine(d))")
            }
        }
        return failures
    }

    static func mismatches(_ e: RuleTestFile.Expectation, _ d: Decision) -> [String] {
        var out: [String] = []
        if let at = e.at, at != d.at { out.append("at") }
        if let vin = e.vin, vin != d.vin { out.append("vin") }
        if let bundle = e.bundle, bundle != d.bundle { out.append("bundle") }
        if let rule = e.rule, rule != d.rule && "\(d.bundle)/\(d.rule)" != rule { out.append("rule") }
        if e.event != d.event { out.append("event") }
        if let reason = e.reason, reason != d.reason?.rawValue { out.append("reason") }
        if let actions = e.actions {
            if actions.count > d.actions.count { out.append("actions") } else {
                for (want, got) in zip(actions, d.actions) where !matches(want, got) {
                    out.append("actions")
                    break
                }
            }
        }
        return out
    }

    /// `{remote: subset}`, `{notify: exact}` or `{notify_contains: part}`.
    static func matches(_ want: JSONValue, _ got: DecisionAction) -> Bool {
        switch got {
        case .remote(let body):
            guard let w = want["remote"] else { return false }
            return subset(w, of: body)
        case .notify(let text):
            if let exact = want["notify"]?.stringValue { return exact == text }
            if let part = want["notify_contains"]?.stringValue { return text.contains(part) }
            return false
        }
    }

    static func subset(_ want: JSONValue, of got: JSONValue) -> Bool {
        switch (want, got) {
        case (.object(let w), .object(let g)): return w.allSatisfy { k, v in g[k].map { subset(v, of: $0) } ?? false }
        case (.array(let w), .array(let g)): return w.count == g.count && zip(w, g).allSatisfy { subset($0, of: $1) }
        default: return want == got
        }
    }

    static func describe(_ e: RuleTestFile.Expectation) -> String {
        var o: [String: JSONValue] = ["event": .string(e.event.rawValue)]
        if let at = e.at { o["at"] = .string(RFC3339.formatUTC(at)) }
        if let vin = e.vin { o["vin"] = .string(vin) }
        if let bundle = e.bundle { o["bundle"] = .string(bundle) }
        if let rule = e.rule { o["rule"] = .string(rule) }
        if let reason = e.reason { o["reason"] = reason.map { .string($0) } ?? .null }
        if let actions = e.actions { o["actions"] = .array(actions) }
        return CanonicalJSON.text(.object(o), pretty: false)
    }
}
