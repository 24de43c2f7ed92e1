import Foundation
import Logging
import OutcomeStore
import RuleEngine
import VigieKit
import VigieRuntime

/// `vigie bench safety`: what the guardrails cost on the hot paths, and how fast a pause
/// made by another connection reaches dispatch (docs/safety.md).
package enum ControlBenchmark {
    package struct Result: Sendable {
        package var decisions: Int
        package var reviewSeconds: Double
        package var holdChecks: Int
        package var holdSeconds: Double
        /// Real time from a pause's commit (another connection) to `dispatchHold` seeing it.
        package var pauseLatencies: [Double]
        package var flapHolds: Int
        package var loopStops: Int
    }

    /// Reviews `decisions` rise decisions spread over `vehicles` × `rules`, checks
    /// `holdChecks` dispatch holds, and measures `pauses` pause round trips, on a
    /// database file in a temporary folder.
    package static func run(vehicles: Int, rules: Int, decisions: Int, holdChecks: Int, pauses: Int) throws -> Result {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-safety-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let database = try OutcomeDatabase(path: path)
        let quiet = Logger(label: "vigie.bench.safety") { _ in SwiftLogNoOpLogHandler() }
        let guardrail = SafetyGuard(policy: SafetyPolicy(), database: database, logger: quiet)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let vins = (0..<vehicles).map { String(format: "VR3BENCH%09d", $0) }
        let actions: [DecisionAction] = [.remote(.object(["horn": .object(["state": .string("Activated")])]))]

        // Rises arrive round-robin over vehicles and rules, each rule rising on each vehicle
        // every 700 s of data time: counted in both windows, never held (the steady state).
        let step = 700.0 / Double(vehicles * rules)
        let clock = ContinuousClock()
        let reviewTime = clock.measure {
            for i in 0..<decisions {
                let at = start.addingTimeInterval(Double(i) * step)
                let vin = vins[i % vehicles], rule = "rule-\((i / vehicles) % rules)"
                let d = Decision(at: Timestamp.millis(at), vin: vin, bundle: "bench", rule: rule, event: .fired, actions: actions)
                _ = guardrail.review(d, observedAt: at, now: at)
            }
        }
        let now = Date()
        let holdTime = clock.measure {
            for i in 0..<holdChecks {
                _ = guardrail.dispatchHold(vin: vins[i % vehicles], bundle: "bench", rule: "rule-\(i % rules)", now: now)
            }
        }
        let other = try OutcomeDatabase(path: path)
        var latencies: [Double] = []
        for i in 0..<pauses {
            let vin = vins[i % vehicles]
            try other.addHold(ControlHoldRecord(kind: .pause, vin: vin, createdAt: Date()))
            let committed = clock.now
            while guardrail.dispatchHold(vin: vin, bundle: "bench", rule: "rule-0", now: Date()) != .paused {
                Thread.sleep(forTimeInterval: 0.001)
            }
            latencies.append(Self.seconds(committed.duration(to: clock.now)))
            _ = try other.resumeHolds(matching: ControlSelector(vin: vin), at: Date())
        }
        let snapshot = guardrail.snapshot()
        return Result(decisions: decisions, reviewSeconds: seconds(reviewTime), holdChecks: holdChecks,
                      holdSeconds: seconds(holdTime), pauseLatencies: latencies.sorted(),
                      flapHolds: try database.controlEvents(kind: .flapStarted).count,
                      loopStops: snapshot.holds.filter { $0.kind == .loop }.count)
    }

    package static func report(_ r: Result) -> String {
        func percentile(_ p: Double) -> Double {
            guard !r.pauseLatencies.isEmpty else { return 0 }
            return r.pauseLatencies[min(r.pauseLatencies.count - 1, Int(Double(r.pauseLatencies.count) * p))]
        }
        let reviewRate = Double(r.decisions) / max(r.reviewSeconds, 1e-9)
        let holdRate = Double(r.holdChecks) / max(r.holdSeconds, 1e-9)
        return """
            review:        \(r.decisions) decisions in \(String(format: "%.3f", r.reviewSeconds)) s = \(String(format: "%.0f", reviewRate)) decisions/s (\(r.flapHolds) flapping holds, \(r.loopStops) loop stops recorded)
            dispatchHold:  \(r.holdChecks) checks in \(String(format: "%.3f", r.holdSeconds)) s = \(String(format: "%.0f", holdRate)) checks/s
            pause → dispatch (another connection, \(r.pauseLatencies.count) pauses): p50 \(String(format: "%.0f", percentile(0.5) * 1000)) ms, p99 \(String(format: "%.0f", percentile(0.99) * 1000)) ms, max \(String(format: "%.0f", (r.pauseLatencies.last ?? 0) * 1000)) ms
            """
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
