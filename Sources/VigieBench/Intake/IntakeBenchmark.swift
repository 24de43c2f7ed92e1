import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OutcomeStore
import Synchronization
import VigieKit
import WebhookServer

/// `vigie bench intake`: notifications per second received, committed (SQLite WAL,
/// `synchronous=FULL`, or PostgreSQL with `synchronous_commit = on`) and answered by the webhook receiver over loopback, with the
/// latency of each answer, from a second process by default (`clientExecutable`) or in
/// this one (AsyncHTTPClient). Closed loop (the default): `concurrency` requests in flight,
/// each sent when the previous one is answered — the most the receiver takes, and its
/// latency at saturation. Open loop (`rate`): requests sent on a fixed schedule whatever
/// the answers, latency from each one's due time (see `IntakeBenchmarkSchedule`).
package enum IntakeBenchmark {
    package struct Options: Sendable {
        /// Requests to send (each holds `batch` notifications).
        package var requests: Int
        /// Requests in flight at once.
        package var concurrency: Int
        /// Notifications per request (1: one `Message` per POST; more: an array).
        package var batch: Int
        /// Stop sending after this many seconds even if `requests` is not reached.
        package var maxSeconds: Double
        /// Requests sent first and not measured.
        package var warmup: Int

        /// The `vigie` executable to run the client from (`bench intake --client-only`);
        /// nil runs the client in this process.
        package var clientExecutable: String?
        /// Open loop: notifications per second to send on a fixed schedule (requests of
        /// `batch` each); nil: closed loop with `concurrency` in flight.
        package var rate: Double?
        /// Open loop: the most connections the client opens.
        package var connections = 64
        /// Checkpoint the WAL from a second connection (the receiver's default) instead
        /// of inside commits.
        package var backgroundCheckpoints = true
        /// Commit to a fresh database made on this PostgreSQL server (`postgres://` URL whose
        /// user may create databases) instead of a SQLite file; it is dropped at the end.
        package var postgresURL: String?

        package init(requests: Int = 50_000, concurrency: Int = 64, batch: Int = 1, maxSeconds: Double = 60,
                    warmup: Int = 2_000, clientExecutable: String? = nil) {
            self.clientExecutable = clientExecutable
            self.requests = requests
            self.concurrency = concurrency
            self.batch = batch
            self.maxSeconds = maxSeconds
            self.warmup = warmup
        }
    }

    package struct Result: Sendable {
        package var requests: Int
        package var notifications: Int
        package var seconds: Double
        /// Answer latencies in seconds, sorted.
        package var latencies: [Double]
        package var failures: Int
        package var storedInDatabase: Int
        package var transactions: Int
        /// Seconds the committer spent in write transactions during the measured run.
        package var writeSeconds: Double
        /// Size of the WAL file at the end of the run, in bytes.
        package var walBytes: Int = 0
        /// The store committed to, with its durability (for the report).
        package var store = "SQLite WAL synchronous=FULL"
        /// CPU time (user + system) of the benchmark's process — the receiver, and the
        /// client too with `--in-process` — during the measured run.
        package var serverCPUSeconds = 0.0
        /// Times the writer paused for the WAL to be copied (it passed its limit).
        package var walDrains = 0
        /// Open loop: how late requests left the sender (seconds, sorted), and the time
        /// from the first due time to the last request sent.
        package var sendLags: [Double] = []
        package var sendSeconds = 0.0

        package var notificationsPerSecond: Double { Double(notifications) / seconds }
        package var requestsPerSecond: Double { Double(requests) / seconds }
        package func percentile(_ p: Double) -> Double { Self.percentile(p, of: latencies) }

        /// The `p`th percentile (nearest rank) of sorted `values`.
        static func percentile(_ p: Double, of values: [Double]) -> Double {
            guard !values.isEmpty else { return .nan }
            let rank = Int((p / 100 * Double(values.count)).rounded(.up)) - 1
            return values[min(max(rank, 0), values.count - 1)]
        }

        /// Open loop: the load was offered and taken at the target rate — requests sent,
        /// and answers received, at ≥ 99 % of `rate` over the run. (A request that left
        /// late is charged its lateness in its latency, measured from its due time.)
        package func keptSchedule(rate: Double, batch: Int) -> Bool {
            let sent = sendSeconds > 0 ? Double(requests + failures) * Double(batch) / sendSeconds : 0
            return sent >= 0.99 * rate && notificationsPerSecond >= 0.99 * rate && failures == 0
        }
    }

    package static func run(_ options: Options) async throws -> Result {
        var logger = Logger(label: "vigie.bench.intake")
        logger.logLevel = .critical
        let store: IntakeBenchmarkStore
        if let postgresURL = options.postgresURL {
            store = try await IntakeBenchmarkStore.postgres(url: postgresURL, logger: logger)
        } else {
            store = try IntakeBenchmarkStore.sqlite(backgroundCheckpoints: options.backgroundCheckpoints)
        }
        do {
            let result = try await run(options, store: store, logger: logger)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    private static func run(_ options: Options, store: IntakeBenchmarkStore, logger: Logger) async throws -> Result {
        let secret = UUID().uuidString + UUID().uuidString
        let committer = store.committer
        let server = IntakeBenchmarkServer(secret: secret, committer: committer, logger: logger)
        let port = try await server.start()
        defer { server.stop() }

        let url = "http://127.0.0.1:\(port)/webhook/\(secret)"
        let mark = WarmMark()
        let onWarm: @Sendable () -> Void = {
            mark.set(Task { (await committer.transactionCount, await committer.writeDuration) }, cpu: processCPUSeconds())
        }
        let report: IntakeBenchmarkClient.Report
        if let executable = options.clientExecutable {
            report = try await IntakeBenchmarkClient.spawn(executable: executable, url: url, options: options,
                                                           onWarm: onWarm)
        } else {
            report = try await IntakeBenchmarkClient.run(url: url, options: options) { _ in onWarm() }
        }
        let cpuUsed = processCPUSeconds() - mark.cpu
        let before = await mark.value() ?? (0, .zero)
        let transactions = await committer.transactionCount - before.0
        let writing = await committer.writeDuration - before.1
        let stored = try await store.storedCount()
        var result = Result(requests: report.latencies.count, notifications: report.latencies.count * options.batch,
                      seconds: report.seconds, latencies: report.latencies.sorted(), failures: report.failures,
                      storedInDatabase: stored - (options.warmup * options.batch), transactions: transactions,
                      writeSeconds: Double(writing.components.seconds) + Double(writing.components.attoseconds) / 1e18)
        result.walBytes = store.walBytes
        result.store = store.description
        result.walDrains = await committer.walDrainCount
        result.serverCPUSeconds = cpuUsed
        result.sendLags = report.sendLags ?? []
        result.sendSeconds = report.sendSeconds ?? 0
        return result
    }

    /// The child's side of a two-process run (`vigie bench intake --client-only --url …`):
    /// prints `warm`, then the measured run as one JSON line.
    package static func runClient(url: String, options: Options) async throws {
        try await IntakeBenchmarkClient.runAndPrint(url: url, options: options)
    }
}

/// The committer's transaction count when the client started measuring.
private final class WarmMark: Sendable {
    private let state = Mutex<(task: Task<(Int, Duration), Never>?, cpu: Double)>((nil, 0))

    var cpu: Double { state.withLock { $0.cpu } }

    func set(_ task: Task<(Int, Duration), Never>, cpu: Double) {
        state.withLock { $0 = (task, cpu) }
    }

    func value() async -> (Int, Duration)? {
        await state.withLock { $0.task }?.value
    }
}

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}
