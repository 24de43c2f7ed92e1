import Foundation
import XCTest
@testable import VigieRuntime

/// `/metrics` speaks the Prometheus text format.
final class MetricsTests: XCTestCase {
    func testRenderingIsPrometheusTextWithEveryFamily() {
        let metrics = RuntimeMetrics()
        metrics.increment(RuntimeMetrics.decisions, ["event": "fired", "reason": "none"])
        metrics.increment(RuntimeMetrics.decisions, ["event": "fired", "reason": "none"])
        metrics.increment(RuntimeMetrics.decisions, ["reason": "stale", "event": "suppressed"])
        metrics.set(RuntimeMetrics.outboxQueued, to: 3)
        metrics.increment(RuntimeMetrics.apiCalls, ["operation": "post\"Remote\\", "result": "ok"])
        let text = metrics.render()
        XCTAssertTrue(text.contains("# TYPE vigie_decisions_total counter\n"))
        XCTAssertTrue(text.contains(#"vigie_decisions_total{event="fired",reason="none"} 2"#), text)
        XCTAssertTrue(text.contains(#"vigie_decisions_total{event="suppressed",reason="stale"} 1"#), text)
        XCTAssertTrue(text.contains("# TYPE vigie_outbox_queued gauge\nvigie_outbox_queued 3\n"), text)
        XCTAssertTrue(text.contains(#"vigie_api_calls_total{operation="post\"Remote\\",result="ok"} 1"#), text)
        XCTAssertTrue(text.contains("vigie_engine_steps_total 0\n"), "unlabelled families never touched still show")
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNotNil(line.range(of: #"^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$"#, options: .regularExpression), String(line))
        }
        let names = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.map { $0.split(separator: " ")[2] }
        XCTAssertEqual(names, names.sorted(), "families in name order")
        XCTAssertEqual(metrics.total(RuntimeMetrics.decisions), 3)
    }

    /// Counters start at 0 on every label value known in advance (so `rate()` sees the
    /// first event), and a labelled family never shows an unlabelled placeholder.
    func testKnownLabelValuesStartAtZeroAndNoPlaceholderSeries() {
        let text = RuntimeMetrics().render()
        for family in RuntimeMetrics.families {
            let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.split(separator: " ")[0]
                .split(separator: "{")[0] == family.name }
            if family.labels.isEmpty {
                XCTAssertEqual(samples, ["\(family.name) 0"], family.name)
                continue
            }
            XCTAssertFalse(samples.contains { !$0.contains("{") }, "\(family.name) has an unlabelled placeholder")
            XCTAssertEqual(samples.count, family.kind == .counter ? family.known.count : 0, family.name)
        }
        for expected in [#"vigie_budget_exceeded_total{budget="commands"} 0"#, #"vigie_budget_exceeded_total{budget="wakeUps"} 0"#,
                         #"vigie_remote_events_total{type="Done"} 0"#, #"vigie_observations_total{source="poll"} 0"#,
                         #"vigie_decisions_total{event="suppressed",reason="paused"} 0"#,
                         #"vigie_api_calls_total{operation="listRemotes",result="error"} 0"#,
                         #"vigie_webhook_refused_total{reason="too_large"} 0"#,
                         #"vigie_commands_total{outcome="timedOut"} 0"#] {
            XCTAssertTrue(text.contains(expected + "\n"), expected)
        }
        XCTAssertFalse(text.contains("vigie_api_rate_limit_remaining{"), "a rate limit is not invented before the API tells it")
    }

    /// The exposition passes Prometheus's own linter (Debian's `prometheus` package; .ci/run
    /// installs it). Fails, not skips, without it.
    func testPromtoolAcceptsTheExposition() throws {
        let metrics = RuntimeMetrics()
        metrics.increment(RuntimeMetrics.decisions, ["event": "fired", "reason": "none"])
        metrics.set(RuntimeMetrics.rateLimitRemaining, ["window": "day"], to: 990)
        for text in [RuntimeMetrics().render(), metrics.render()] {
            let (status, output) = try Self.promtool(text)
            XCTAssertEqual(status, 0, output)
            XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "", output)
        }
        // The linter is not a rubber stamp: a counter without `_total` is reported.
        let (status, output) = try Self.promtool("# HELP x_count A.\n# TYPE x_count counter\nx_count 1\n")
        XCTAssertNotEqual(status, 0, output)
    }

    static func promtool(_ text: String) throws -> (Int32, String) {
        guard let path = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile)
        else {
            XCTFail("promtool is missing: apt-get install prometheus (.ci/run does)")
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
