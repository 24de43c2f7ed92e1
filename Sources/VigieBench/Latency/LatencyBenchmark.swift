import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OutcomeStore
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import Synchronization
import VigieRuntime

/// `vigie bench latency`: how long a notification takes through a live `vigie serve`
/// (in process, its real receiver, SQLite file, engine and dispatcher) with
/// `reorder_window: 0`, at a fixed rate of webhook POSTs: POST sent → decision committed
/// (the engine's "rule fired" line, written right after its transaction) and POST sent →
/// remote POSTed (the call reaching a local fake API), and POST sent → answered 200. Each
/// vehicle gets one notification; with `firingShare` 1 (the default, the worst case) every
/// one fires a horn rule — one decision and one command per POST; with a smaller share
/// only that share does (the others set a battery level that fires nothing).
package enum LatencyBenchmark {
    package struct Options: Sendable {
        package var rate: Double = 1_000
        package var notifications = 10_000
        package var warmup = 500
        /// The share of notifications that fire a command (0 < share ≤ 1), spread evenly.
        package var firingShare = 1.0

        package init() {}
    }

    package struct Result: Sendable {
        /// Seconds, sorted.
        package var toDecision: [Double]
        package var toRemote: [Double]
        /// POST sent → answered 200, every measured notification.
        package var toAnswer: [Double]
        /// Decision committed → remote POSTed (the dispatcher's share), seconds, sorted.
        package var decisionToRemote: [Double]
        package var firing: Int
        package var sent: Int
        package var failures: Int
        package var seconds: Double
        /// CPU time of the whole process (serve, the load generator and the fake API)
        /// from the first POST to the last remote.
        package var cpuSeconds: Double
        /// The store's shared transactions (`WriteCoordinator`), whole run (warm-up included).
        package var commits: WriteCoordinator.Counts
        /// The WAL file's size at the end of the run (bytes).
        package var walBytes: Int
        /// The background checkpoints and WAL drains, whole run (warm-up included).
        package var wal: WALCheckpointLog.Counts
        /// Each drain's length and how long it held every write, in order.
        package var drains: [WALCheckpointLog.Drain]
        /// Of the measured notifications at or above the p99 to the decision (and to the
        /// remote): how many, and how many of them were in flight during a drain.
        package var tailToDecision: (count: Int, duringDrain: Int)
        package var tailToRemote: (count: Int, duringDrain: Int)
    }

    static let rules = """
        vigie: 1
        bundle: latency
        rules:
          - id: horn-when-low
            when: battery.level < 20
            then:
              - horn: on
        """

    package static func run(_ options: Options) async throws -> Result {
        let validated = RuleValidator.validate([SourceFile(path: "latency.yaml", text: rules)])
        guard !validated.hasErrors else { throw LatencyBenchmarkError("the benchmark's rules do not validate") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-latency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let databasePath = folder.appendingPathComponent("vigie.sqlite").path
        let database = try OutcomeDatabase(path: databasePath)

        let probe = LatencyProbe()
        var logger = Logger(label: "vigie.bench.latency") { _ in LatencyLogHandler(probe: probe) }
        logger.logLevel = .info
        let total = options.warmup + options.notifications
        let vins = (0..<total).map { String(format: "VR3LATENCY%07d", $0) }
        let fires = (0..<total).map { Self.fires($0, share: options.firingShare) }
        let firing = fires.filter { $0 }.count
        let secret = "latency-bench-secret-0123456789ab"
        let settings = RuntimeSettings(port: 0, webhookSecret: secret, staleAfter: 3_600, commandsPerDay: 1_000,
                                       dispatchConcurrency: 64, reorderWindow: 0)
        let api = LatencyFakeAPI(probe: probe)
        let runtime = ServeRuntime(settings: settings, database: database, bundles: validated.bundles,
                                   inventory: Inventory(vehicles: vins.map { Inventory.Vehicle(vin: $0) }),
                                   logger: logger) { api }
        try await runtime.start()
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let url = "http://127.0.0.1:\(runtime.boundPort ?? 0)/webhook/\(secret)"
        let start = ContinuousClock.now
        let cpuAtStart = ProcessMetrics.processCPUSeconds()
        await withTaskGroup(of: Void.self) { group in
            for (i, vin) in vins.enumerated() {
                let level = fires[i] ? 15 : 80
                let due = start + .seconds(Double(i) / options.rate)
                try? await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    var request = HTTPClientRequest(url: url)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: message(vin: vin, level: level)))
                    probe.sent(vin)
                    do {
                        let response = try await http.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 16)
                        if response.status == .ok { probe.answered(vin) } else { probe.failed() }
                    } catch {
                        probe.failed()
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while probe.remotes < firing, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let cpuSeconds = ProcessMetrics.processCPUSeconds() - cpuAtStart
        let commits = database.coordinator.counts
        let walBytes = (try? FileManager.default.attributesOfItem(atPath: databasePath + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        let wal = database.walCheckpoints.counts
        let drains = database.walCheckpoints.drains
        await runtime.shutdown()
        try await http.shutdown()
        let measured = Set(vins.dropFirst(options.warmup))
        let measuredFiring = Set(zip(vins, fires).dropFirst(options.warmup).filter(\.1).map(\.0))
        let (decisions, remotes, _) = probe.latencies(of: measuredFiring)
        let (_, _, answers) = probe.latencies(of: measured)
        let windows = drains.map { $0.started ... $0.ended }
        return Result(toDecision: decisions, toRemote: remotes, toAnswer: answers,
                      decisionToRemote: probe.decisionToRemote(of: measuredFiring),
                      firing: measuredFiring.count, sent: total, failures: probe.failures, seconds: seconds,
                      cpuSeconds: cpuSeconds, commits: commits, walBytes: walBytes, wal: wal, drains: drains,
                      tailToDecision: probe.tail(of: measuredFiring, atLeast: percentile(99, of: decisions),
                                                 to: \.decided, overlapping: windows),
                      tailToRemote: probe.tail(of: measuredFiring, atLeast: percentile(99, of: remotes),
                                               to: \.posted, overlapping: windows))
    }

    /// Whether notification `i` fires: `share` of them, spread evenly (all when 1).
    static func fires(_ i: Int, share: Double) -> Bool {
        (Double(i + 1) * share).rounded(.down) > (Double(i) * share).rounded(.down)
    }

    /// A monitor notification that sets the vehicle's battery at `level` % (below 20 fires).
    static func message(vin: String, level: Int) -> String {
        """
        {"callbackId":"cb-latency","type":"Monitor","date":"\(Timestamp.format(Date()))",\
        "attributes":[{"key":"vin","value":"\(vin)"}],\
        "monitorEvent":{"monitorId":"mon-latency","values":[{"data":"vehicle.energy.electric.level",\
        "value":{"type":"string","body":{"literalValue":"\(level)"}}}]}}
        """
    }

    /// The `p`th percentile (nearest rank) of sorted `values`.
    static func percentile(_ p: Double, of values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(values.count)).rounded(.up))
        return values[min(values.count - 1, max(0, rank - 1))]
    }

    package static func report(_ r: Result, options: Options) -> String {
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        func ms(_ d: Duration) -> String { ms(d / .seconds(1)) }
        func line(_ values: [Double]) -> String {
            "p50 \(ms(percentile(50, of: values)))  p99 \(ms(percentile(99, of: values)))  max \(ms(values.last ?? .nan))"
                + "  (\(values.count) measured)"
        }
        return """
            latency: \(r.sent) webhook POSTs at \(Int(options.rate)) notifications/s (first \(options.warmup) not \
            measured), \(String(format: "%g", options.firingShare * 100)) % firing (\(r.firing) measured fire), \
            reorder_window 0, in-process serve (SQLite file), local fake API; failures: \(r.failures); \
            \(String(format: "%.1f", r.seconds)) s
            POST → 200 answered:       \(line(r.toAnswer))
            POST → decision committed: \(line(r.toDecision))
            POST → remote POSTed:      \(line(r.toRemote))
            decision → remote POSTed:  \(line(r.decisionToRemote))  (the dispatcher's share)
            process CPU: \(String(format: "%.2f", r.cpuSeconds)) s, \(String(format: "%.0f", r.cpuSeconds / Double(max(1, r.sent)) * 1e6)) µs \
            per notification (serve, load generator and fake API together)
            store: \(r.commits.transactions) shared transactions (one sync each) for \(r.commits.parts) writes of \
            the receiver, engine and dispatcher (\(String(format: "%.1f", Double(r.commits.parts) / Double(max(1, r.commits.transactions)))) \
            per commit); a write waited \(ms(r.commits.waited / max(1, r.commits.parts))) on average for its \
            transaction (longest \(ms(r.commits.longestWait))), a transaction took \
            \(ms(r.commits.writing / max(1, r.commits.transactions))) (the writer busy \
            \(String(format: "%.0f", r.commits.writing / .seconds(max(r.seconds, 0.001)) * 100)) % of the run); \
            WAL at the end: \(String(format: "%.1f", Double(r.walBytes) / 1_048_576)) MiB
            WAL: \(r.wal.checkpoints) background checkpoints; \(r.wal.drains) drains over the limit \
            (\(r.wal.incompleteDrains) incomplete), \(ms(r.wal.drainTime)) in all, longest \(ms(r.wal.longestDrain)); \
            in flight during a drain: \(r.tailToDecision.duringDrain) of the \(r.tailToDecision.count) slowest 1 % \
            to the decision, \(r.tailToRemote.duringDrain) of the \(r.tailToRemote.count) to the remote
            \(drainLines(r.drains))
            """
    }
}

extension LatencyBenchmark {
    /// One line per drain (at most 20): its start in the run, length, the part that held
    /// every write, the WAL's size, checkpoints, whether it copied every frame.
    static func drainLines(_ drains: [WALCheckpointLog.Drain]) -> String {
        guard let first = drains.first?.started else { return "" }
        func ms(_ d: Duration) -> String { String(format: "%.2f", d / .milliseconds(1)) }
        var lines = drains.prefix(20).map { d in
            "  drain at +\(String(format: "%.3f", first.duration(to: d.started) / .seconds(1))) s: \(ms(d.duration)) ms, "
                + "writes held \(ms(d.writerHeld)) ms, WAL \(String(format: "%.1f", Double(d.walBytes) / 1_048_576)) MiB, "
                + "\(d.passes) checkpoint\(d.passes == 1 ? "" : "s")\(d.complete ? "" : ", incomplete")"
        }
        if drains.count > 20 { lines.append("  … \(drains.count - 20) more") }
        return lines.joined(separator: "\n") + "\n"
    }
}

struct LatencyBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// When each vehicle's POST was sent, its decision committed, its remote POSTed.
final class LatencyProbe: Sendable {
    struct Marks {
        var sent: [String: ContinuousClock.Instant] = [:]
        var decided: [String: ContinuousClock.Instant] = [:]
        var posted: [String: ContinuousClock.Instant] = [:]
        var answered: [String: ContinuousClock.Instant] = [:]
        var failures = 0
    }

    private let marks = Mutex(Marks())

    func sent(_ vin: String) { let now = ContinuousClock.now; marks.withLock { $0.sent[vin] = now } }
    func decided(_ vin: String) { let now = ContinuousClock.now; marks.withLock { $0.decided[vin] = now } }
    func posted(_ vin: String) { let now = ContinuousClock.now; marks.withLock { $0.posted[vin] = now } }
    func answered(_ vin: String) { let now = ContinuousClock.now; marks.withLock { $0.answered[vin] = now } }
    func failed() { marks.withLock { $0.failures += 1 } }
    var failures: Int { marks.withLock { $0.failures } }
    var remotes: Int { marks.withLock { $0.posted.count } }

    func latencies(of vins: Set<String>) -> (decisions: [Double], remotes: [Double], answers: [Double]) {
        marks.withLock { m in
            func seconds(_ to: [String: ContinuousClock.Instant]) -> [Double] {
                vins.compactMap { vin in
                    guard let from = m.sent[vin], let at = to[vin] else { return nil }
                    return (at - from) / .seconds(1)
                }.sorted()
            }
            return (seconds(m.decided), seconds(m.posted), seconds(m.answered))
        }
    }

    /// Of `vins`, those whose POST sent → `to` took at least `threshold` seconds: how many,
    /// and how many of them overlap one of `windows` (in flight while it ran).
    func tail(of vins: Set<String>, atLeast threshold: Double, to: KeyPath<Marks, [String: ContinuousClock.Instant]>,
              overlapping windows: [ClosedRange<ContinuousClock.Instant>]) -> (count: Int, duringDrain: Int) {
        guard !threshold.isNaN else { return (0, 0) }
        return marks.withLock { m in
            var count = 0, during = 0
            for vin in vins {
                guard let from = m.sent[vin], let at = m[keyPath: to][vin], (at - from) / .seconds(1) >= threshold else { continue }
                count += 1
                if windows.contains(where: { $0.lowerBound <= at && from <= $0.upperBound }) { during += 1 }
            }
            return (count, during)
        }
    }

    /// Per vehicle, its decision committed → its remote POSTed, sorted.
    func decisionToRemote(of vins: Set<String>) -> [Double] {
        marks.withLock { m in
            vins.compactMap { vin in
                guard let from = m.decided[vin], let at = m.posted[vin] else { return nil }
                return (at - from) / .seconds(1)
            }.sorted()
        }
    }
}

/// Notes the instant of each "rule fired" line (logged right after the engine's commit).
struct LatencyLogHandler: LogHandler {
    let probe: LatencyProbe
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        guard message.description == "rule fired", case .string(let vin)? = metadata?["vin"] else { return }
        probe.decided(vin)
    }
}

/// A Stellantis API that answers at once: notes when each vehicle's remote arrives.
struct LatencyFakeAPI: VehicleAPI {
    let probe: LatencyProbe

    func postRemote(vin: String, body: Remote) async throws -> String {
        probe.posted(vin)
        return "ra-\(vin)"
    }

    func remotes(vin: String) async throws -> [RemoteAction] { [] }

    func status(vin: String) async throws -> VehicleStatus {
        throw LatencyBenchmarkError("the latency benchmark polls no status")
    }

    var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
}
