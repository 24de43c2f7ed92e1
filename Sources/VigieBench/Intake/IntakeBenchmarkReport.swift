import Foundation
import OutcomeStore
import VigieKit

extension IntakeBenchmark {
    /// The figures, one per line.
    package static func report(_ r: Result, options: Options) -> String {
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        let plural = options.batch == 1 ? "" : "s"
        let client = options.clientExecutable == nil ? "in process" : "in a second process"
        var lines: [String] = []
        if let rate = options.rate {
            lines.append("""
                intake, open loop: \(r.requests) requests × \(options.batch) notification\(plural) on a fixed schedule \
                of \(Int(rate.rounded())) notifications/s (\(format(rate / Double(options.batch))) requests/s), \
                up to \(options.connections) connections, loopback, client \(client), \(r.store)
                """)
            let sent = r.sendSeconds > 0 ? Double(r.requests + r.failures) * Double(options.batch) / r.sendSeconds : 0
            let kept = r.keptSchedule(rate: rate, batch: options.batch) ? "kept" : "NOT kept"
            lines.append("""
                schedule: \(kept) (sent \(Int(sent.rounded())) notifications/s; late sends, counted in the latency: \
                p99 \(ms(Result.percentile(99, of: r.sendLags))), max \(ms(r.sendLags.last ?? .nan)))
                """)
            lines.append("notifications/s answered: \(Int(r.notificationsPerSecond.rounded()))  "
                         + "(requests/s: \(Int(r.requestsPerSecond.rounded())))")
            lines.append("latency from the scheduled send: " + latencyLine(r, ms: ms))
        } else {
            lines.append("""
                intake, closed loop: \(r.requests) requests × \(options.batch) notification\(plural), \
                \(options.concurrency) in flight, loopback, client \(client), \(r.store)
                """)
            lines.append("notifications/s: \(Int(r.notificationsPerSecond.rounded()))  "
                         + "(requests/s: \(Int(r.requestsPerSecond.rounded())))")
            lines.append("answer latency (at saturation): " + latencyLine(r, ms: ms))
        }
        lines.append(contentsOf: storeLines(r, options: options))
        return lines.joined(separator: "\n") + "\n\n"
    }

    private static func latencyLine(_ r: Result, ms: (Double) -> String) -> String {
        "p50 \(ms(r.percentile(50)))  p90 \(ms(r.percentile(90)))  p99 \(ms(r.percentile(99)))  "
            + "p99.9 \(ms(r.percentile(99.9)))  max \(ms(r.latencies.last ?? .nan))"
    }

    private static func storeLines(_ r: Result, options: Options) -> [String] {
        let perTransaction = r.transactions > 0 ? Double(r.requests) / Double(r.transactions) : 0
        let msPerTransaction = r.transactions > 0 ? r.writeSeconds * 1000 / Double(r.transactions) : 0
        let checkpoints = options.backgroundCheckpoints
            ? "in the background (WAL limit \(InboxCommitter.defaultWALSizeLimit >> 20) MiB, writer paused \(r.walDrains) times for it)"
            : "inside commits (SQLite's auto-checkpoint)"
        return [
            """
            elapsed: \(String(format: "%.2f", r.seconds)) s  failures: \(r.failures)  \
            stored: \(r.storedInDatabase) of \(r.notifications)  \
            transactions: \(r.transactions) (\(String(format: "%.1f", perTransaction)) requests each, \
            \(String(format: "%.1f", msPerTransaction)) ms each; writer busy \(Int((r.writeSeconds / r.seconds * 100).rounded()))% of the time)
            """,
            """
            CPU of the \(options.clientExecutable == nil ? "process (receiver and client)" : "receiver's process"): \
            \(String(format: "%.2f", r.serverCPUSeconds)) s (\(String(format: "%.1f", r.serverCPUSeconds * 1e6 / Double(max(r.notifications, 1)))) µs per notification)
            """,
        ] + (options.postgresURL != nil ? [] : [
            "checkpoints: \(checkpoints), WAL at the end: \(String(format: "%.1f", Double(r.walBytes) / 1_048_576)) MiB",
        ])
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }
}
