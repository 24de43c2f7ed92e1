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
        XCTAssertTrue(text.contains("vigie_budget_exceeded_total 0\n"), "families never touched still show")
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNotNil(line.range(of: #"^[a-z_]+(\{[^}]*\})? -?[0-9.e+]+$"#, options: .regularExpression), String(line))
        }
        let names = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.map { $0.split(separator: " ")[2] }
        XCTAssertEqual(names, names.sorted(), "families in name order")
        XCTAssertEqual(metrics.total(RuntimeMetrics.decisions), 3)
    }
}
