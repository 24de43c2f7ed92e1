import AsyncHTTPClient
import VehicleData
import Foundation
import Hummingbird
import Logging
import Notifications
import OutcomeStore
import ServiceLifecycle
import Synchronization
import VigieRuntime

/// `vigie bench notify`: durable notification delivery at a sustained rate (issue 16).
///
/// On a SQLite file (the serve store, `synchronous=FULL`), a producer commits decision
/// steps the way the engine does — every `tick`, one transaction with that tick's fired
/// decisions, each with one notify action routed to a signed webhook channel — at
/// `rate` notifications/s for `seconds`. First alone (the baseline), then again with the
/// notifier service delivering to a local webhook sink over HTTP. Prints the delivery
/// throughput, enqueue → delivered latencies, the queue left, and the producer's commit
/// latency in both runs: what the notifier costs the engine.
package enum NotifyBenchmark {
    package struct Options: Sendable {
        package var rate: Double = 1_000
        package var seconds: Double = 10
        /// Seconds between two producer commits.
        package var tick: Double = 0.01
        package var concurrency = 16
        package init() {}
    }

    package struct Result: Sendable {
        package var enqueued: Int
        package var delivered: Int
        /// Distinct `webhook-id`s the sink answered, and its answers in all.
        package var sinkIds: Int
        package var sinkAnswers: Int
        /// From the first commit to the last delivery recorded.
        package var deliverySeconds: Double
        /// Enqueue → outcome recorded, seconds, sorted.
        package var latencies: [Double]
        /// Producer commit durations, seconds, sorted: alone, and with the notifier.
        package var baselineCommits: [Double]
        package var loadedCommits: [Double]
        /// Ticks the producer started late by more than one tick (it could not keep up).
        package var lateTicks: Int
    }

    package static func run(_ options: Options) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sink = NotifyBenchmarkSink()
        let port = try await sink.start()
        defer { sink.stop() }

        // Baseline: the producer alone, on its own database.
        let baselineStore = try OutcomeDatabase(path: folder.appendingPathComponent("baseline.sqlite").path)
        let baseline = try await produce(baselineStore, options: options, wake: nil)

        let store = try OutcomeDatabase(path: folder.appendingPathComponent("bench.sqlite").path)
        let channel = ChannelConfiguration(name: "sink", settings: .webhook(.init(
            url: URL(string: "http://127.0.0.1:\(port)/hook")!, secret: ChannelSecret("bench-secret"))), timeout: 10)
        var settings = NotifierSettings(channels: [channel], defaults: ["sink"])
        settings.concurrency = options.concurrency
        settings.sweep = 1
        let quiet = Logger(label: "vigie.bench.notify") { _ in SwiftLogNoOpLogHandler() }
        let notifier = try settings.service(store: store, clock: SystemClock(), metrics: nil, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [notifier], logger: quiet))
        let running = Task { try await group.run() }
        let started = Date()
        let loaded = try await produce(store, options: options, wake: settings.wake)
        // Drain: until every delivery is final (or a minute passes).
        let drainEnd = Date().addingTimeInterval(60)
        while Date() < drainEnd, try store.notificationQueueStats().pending > 0 {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        await group.triggerGracefulShutdown()
        try await running.value

        let deliveries = try store.notificationDeliveries(status: nil, limit: Int.max)
        let done = deliveries.filter { $0.status == .delivered }
        let last = done.compactMap(\.finishedAt).max() ?? started
        let counts = sink.counts
        return Result(enqueued: deliveries.count, delivered: done.count, sinkIds: counts.count,
                      sinkAnswers: counts.values.reduce(0, +), deliverySeconds: last.timeIntervalSince(started),
                      latencies: done.compactMap { d in d.finishedAt.map { $0.timeIntervalSince(d.createdAt) } }.sorted(),
                      baselineCommits: baseline.commits.sorted(), loadedCommits: loaded.commits.sorted(),
                      lateTicks: baseline.late + loaded.late)
    }

    /// Commits `rate · seconds` notify decisions, `rate · tick` per transaction, one
    /// transaction per tick on a fixed schedule; wakes the notifier after each.
    private static func produce(_ store: OutcomeDatabase, options: Options,
                                wake: NotifierWake?) async throws -> (commits: [Double], late: Int) {
        let total = Int(options.rate * options.seconds)
        let perTick = max(1, Int((options.rate * options.tick).rounded()))
        let ticks = (total + perTick - 1) / perTick
        let start = Date()
        var commits: [Double] = []
        var late = 0
        var made = 0
        for tick in 0..<ticks {
            let due = start.addingTimeInterval(Double(tick) * options.tick)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
            if -wait > options.tick { late += 1 }
            let now = Date()
            let decisions = (0..<min(perTick, total - made)).map { i -> DecisionRecord in
                let vin = String(format: "VR3BENCH%09d", (made + i) % 1_000)
                var d = DecisionRecord(at: now, vin: vin, bundle: "bench", rule: "low", event: .fired,
                                       actions: [.notify("\(vin) low at 18 %")])
                d.notifications[0] = NotificationRequest(channels: ["sink"], text: "\(vin) low at 18 %", at: now,
                                                         vin: vin, bundle: "bench", rule: "low")
                return d
            }
            made += decisions.count
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await store.commit(DecisionCommit(scope: "bench", decisions: decisions), now: now)
            }
            commits.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            wake?.wake()
        }
        return (commits, late)
    }

    package static func report(_ r: Result, options: Options) -> String {
        func p(_ values: [Double], _ q: Double) -> String {
            guard !values.isEmpty else { return "-" }
            return String(format: "%.1f ms", values[min(values.count - 1, Int(Double(values.count) * q))] * 1_000)
        }
        let rate = Double(r.delivered) / max(r.deliverySeconds, 1e-9)
        return """
            notify: \(Int(options.rate)) notifications/s for \(Int(options.seconds)) s, one commit every \(Int(options.tick * 1_000)) ms, \(options.concurrency) in flight, SQLite synchronous=FULL, local webhook sink
            delivered:      \(r.delivered)/\(r.enqueued) in \(String(format: "%.2f", r.deliverySeconds)) s = \(String(format: "%.0f", rate)) deliveries/s sustained (sink: \(r.sinkIds) ids, \(r.sinkAnswers) answers)
            enqueue→done:   p50 \(p(r.latencies, 0.5)), p99 \(p(r.latencies, 0.99)), max \(p(r.latencies, 1))
            engine commits: alone p50 \(p(r.baselineCommits, 0.5)), p99 \(p(r.baselineCommits, 0.99)); with the notifier p50 \(p(r.loadedCommits, 0.5)), p99 \(p(r.loadedCommits, 0.99)) (\(r.lateTicks) late ticks)

            """
    }
}
