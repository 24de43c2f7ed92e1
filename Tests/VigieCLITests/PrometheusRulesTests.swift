import Foundation
import VigieRuntime
import VigieTestSupport
import XCTest

/// Issue 17, item 5: the alerting rules (contrib/prometheus/vigie-alerts.yml) pass
/// `promtool check rules` and their unit tests (`promtool test rules`); the Grafana
/// dashboard (contrib/grafana/vigie.json) is valid JSON and queries only metrics Vigie
/// exports; the textfile script's output passes `promtool check metrics`. promtool comes
/// from Debian's `prometheus` package (.ci/run installs it): without it these tests fail.
final class PrometheusRulesTests: XCTestCase {
    static let prometheus = SharedFiles.repositoryRoot.appendingPathComponent("contrib/prometheus")
    static let dashboard = SharedFiles.repositoryRoot.appendingPathComponent("contrib/grafana/vigie.json")

    func testAlertRulesPassPromtoolCheck() throws {
        let result = try Self.promtool(["check", "rules", "vigie-alerts.yml"], in: Self.prometheus)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        let alerts = try Self.alertNames()
        XCTAssertTrue(result.stdout.contains("SUCCESS: \(alerts.count) rules found"), result.stdout + result.stderr)
        for required in ["VigieIntakeStalled", "VigieCommandsFailing", "VigieAPINotReady", "VigieWALGrowing",
                         "VigieDeploymentDrift", "VigieDeadLetters", "VigieStorageFailing", "VigieDown"] {
            XCTAssertTrue(alerts.contains(required), "vigie-alerts.yml has no \(required)")
        }
    }

    func testAlertRulesUnitTestsPass() throws {
        let result = try Self.promtool(["test", "rules", "vigie-alerts.test.yml"], in: Self.prometheus)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("SUCCESS"), result.stdout + result.stderr)
        // Every alert is exercised, firing at least once.
        let tests = try String(contentsOf: Self.prometheus.appendingPathComponent("vigie-alerts.test.yml"), encoding: .utf8)
        for alert in try Self.alertNames() {
            XCTAssertTrue(tests.contains("alertname: \(alert)\n        exp_alerts:\n          - exp_labels:"),
                          "vigie-alerts.test.yml never expects \(alert) to fire")
        }
    }

    /// The unit tests are not a rubber stamp: an alert whose threshold is changed makes
    /// them fail.
    func testUnitTestsCatchABrokenRule() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-alerts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let rules = try String(contentsOf: Self.prometheus.appendingPathComponent("vigie-alerts.yml"), encoding: .utf8)
        let broken = rules.replacingOccurrences(of: "expr: vigie_api_ready{job=\"vigie\"} == 0",
                                                with: "expr: vigie_api_ready{job=\"vigie\"} == 1")
        XCTAssertNotEqual(broken, rules)
        try broken.write(to: work.appendingPathComponent("vigie-alerts.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.prometheus.appendingPathComponent("vigie-alerts.test.yml"),
                                         to: work.appendingPathComponent("vigie-alerts.test.yml"))
        let result = try Self.promtool(["test", "rules", "vigie-alerts.test.yml"], in: work)
        XCTAssertNotEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue((result.stdout + result.stderr).contains("alertname: VigieAPINotReady"), result.stdout + result.stderr)
    }

    /// The dashboard is valid Grafana JSON and every metric it or the alerts query is one
    /// `vigie serve` exports (RuntimeMetrics) or the textfile script writes; every family
    /// of /metrics is on the dashboard.
    func testDashboardAndAlertsQueryRealMetrics() throws {
        let data = try Data(contentsOf: Self.dashboard)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["uid"] as? String, "vigie-overview")
        XCTAssertNotNil(json["schemaVersion"] as? Int)
        let panels = try XCTUnwrap(json["panels"] as? [[String: Any]])
        var expressions: [String] = []
        var ids = Set<Int>()
        for panel in panels {
            let id = try XCTUnwrap(panel["id"] as? Int)
            XCTAssertTrue(ids.insert(id).inserted, "panel id \(id) twice")
            XCTAssertNotNil(panel["gridPos"] as? [String: Int], "panel \(id) has no gridPos")
            if panel["type"] as? String == "row" { continue }
            let targets = try XCTUnwrap(panel["targets"] as? [[String: Any]], "panel \(id) queries nothing")
            XCTAssertFalse(targets.isEmpty, "panel \(id) queries nothing")
            expressions += try targets.map { try XCTUnwrap($0["expr"] as? String) }
        }
        let templating = try XCTUnwrap((json["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        expressions += templating.compactMap { $0["definition"] as? String }

        let served = Self.servedFamilies()
        XCTAssertTrue(served.contains("vigie_api_ready"), "RuntimeMetrics renders its families: \(served)")
        let known = served.union(try Self.textfileFamilies()).union(["up"])
        let dashboardNames = Self.metricNames(in: expressions)
        XCTAssertEqual(dashboardNames.subtracting(known), [], "the dashboard queries metrics nobody exports")
        XCTAssertEqual(served.subtracting(dashboardNames), [], "families of /metrics missing from the dashboard")

        let rules = try String(contentsOf: Self.prometheus.appendingPathComponent("vigie-alerts.yml"), encoding: .utf8)
        let ruleExpressions = rules.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
            .filter { !$0.contains("summary:") && !$0.contains("description:") }.map(String.init)
        XCTAssertEqual(Self.metricNames(in: ruleExpressions).subtracting(known), [], "the alerts query metrics nobody exports")
    }

    /// contrib/prometheus/vigie-textfile.sh writes valid exposition: the WAL size, and
    /// drift from `vigie plan --detailed-exitcode`'s exit status (2: drift, 0: none,
    /// 1: the check failed).
    func testTextfileScriptOutputPassesPromtool() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-textfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let database = work.appendingPathComponent("vigie.sqlite")
        try Data(count: 4096).write(to: database)
        try Data(count: 1000).write(to: work.appendingPathComponent("vigie.sqlite-wal"))
        for (status, lines) in [(2, ["vigie_deployment_drift 1", "vigie_deployment_check_success 1"]),
                                (0, ["vigie_deployment_drift 0", "vigie_deployment_check_success 1"]),
                                (1, ["vigie_deployment_check_success 0"])] {
            // `vigie plan` stands in as a script exiting with the status under test.
            let plan = work.appendingPathComponent("plan-\(status)")
            try "#!/bin/sh\nexit \(status)\n".write(to: plan, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plan.path)
            let output = work.appendingPathComponent("vigie.prom")
            let run = try CommandRunner.run(Self.prometheus.appendingPathComponent("vigie-textfile.sh"),
                                            ["--config", "vigie.yaml", "--database", database.path, "--output", output.path,
                                             "--vigie", plan.path], in: work)
            XCTAssertEqual(run.exitCode, 0, run.stderr)
            let text = try String(contentsOf: output, encoding: .utf8)
            for line in lines + ["vigie_database_bytes 4096", "vigie_database_wal_bytes 1000"] {
                XCTAssertTrue(text.contains(line + "\n"), "\(line) missing for exit \(status):\n\(text)")
            }
            if status == 1 { XCTAssertFalse(text.contains("vigie_deployment_drift "), text) }
            let check = try Self.promtool(["check", "metrics"], in: work, stdin: text)
            XCTAssertEqual(check.exitCode, 0, check.stdout + check.stderr)
            XCTAssertEqual((check.stdout + check.stderr).trimmingCharacters(in: .whitespacesAndNewlines), "")
        }
        let usage = try CommandRunner.run(Self.prometheus.appendingPathComponent("vigie-textfile.sh"),
                                          ["--database", work.appendingPathComponent("missing.sqlite").path,
                                           "--output", "x.prom", "--no-plan"], in: work)
        XCTAssertEqual(usage.exitCode, 64)
        XCTAssertTrue(usage.stderr.contains("missing.sqlite: no such file"), usage.stderr)
    }

    // MARK: helpers

    static func promtool(_ arguments: [String], in directory: URL, stdin: String? = nil) throws -> CommandResult {
        guard let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile)
        else {
            XCTFail("promtool is missing: apt-get install prometheus (.ci/run does)")
            throw CocoaError(.fileNoSuchFile)
        }
        return try CommandRunner.run(URL(fileURLWithPath: path), arguments, in: directory, stdin: stdin)
    }

    static func alertNames() throws -> [String] {
        let rules = try String(contentsOf: prometheus.appendingPathComponent("vigie-alerts.yml"), encoding: .utf8)
        return rules.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- alert: ") else { return nil }
            return String(trimmed.dropFirst("- alert: ".count))
        }
    }

    /// The families `/metrics` serves, from the runtime's own renderer.
    static func servedFamilies() -> Set<String> {
        Set(RuntimeMetrics().render().split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
            .map { String($0.split(separator: " ")[2]) })
    }

    /// The families the textfile script writes (its `# TYPE` lines).
    static func textfileFamilies() throws -> Set<String> {
        let script = try String(contentsOf: prometheus.appendingPathComponent("vigie-textfile.sh"), encoding: .utf8)
        let names = script.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "# TYPE ") else { return nil }
            return line[range.upperBound...].split(separator: " ").first.map(String.init)
        }
        return Set(names)
    }

    /// Every metric name in PromQL expressions: identifiers starting `vigie_`, and `up`.
    static func metricNames(in expressions: [String]) -> Set<String> {
        var names = Set<String>()
        for expression in expressions {
            var rest = Substring(expression)
            while let range = rest.range(of: #"\bvigie_[a-z_]+"#, options: .regularExpression) {
                names.insert(String(rest[range]))
                rest = rest[range.upperBound...]
            }
            if expression.range(of: #"\bup\{"#, options: .regularExpression) != nil { names.insert("up") }
        }
        return names
    }
}
