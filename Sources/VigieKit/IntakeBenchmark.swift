import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OutcomeStore
import WebhookServer

/// `vigie bench intake`: notifications per second received, committed (SQLite WAL,
/// `synchronous=FULL`) and answered by the webhook receiver over loopback, with the
/// latency of each answer. Server and client run in this process; the client keeps
/// `concurrency` requests in flight with AsyncHTTPClient.
public enum IntakeBenchmark {
    public struct Options: Sendable {
        /// Requests to send (each holds `batch` notifications).
        public var requests: Int
        /// Requests in flight at once.
        public var concurrency: Int
        /// Notifications per request (1: one `Message` per POST; more: an array).
        public var batch: Int
        /// Stop sending after this many seconds even if `requests` is not reached.
        public var maxSeconds: Double
        /// Requests sent first and not measured.
        public var warmup: Int

        public init(requests: Int = 50_000, concurrency: Int = 64, batch: Int = 1, maxSeconds: Double = 60,
                    warmup: Int = 2_000) {
            self.requests = requests
            self.concurrency = concurrency
            self.batch = batch
            self.maxSeconds = maxSeconds
            self.warmup = warmup
        }
    }

    public struct Result: Sendable {
        public var requests: Int
        public var notifications: Int
        public var seconds: Double
        /// Answer latencies in seconds, sorted.
        public var latencies: [Double]
        public var failures: Int
        public var storedInDatabase: Int
        public var transactions: Int

        public var notificationsPerSecond: Double { Double(notifications) / seconds }
        public var requestsPerSecond: Double { Double(requests) / seconds }
        public func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let rank = Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1
            return latencies[min(max(rank, 0), latencies.count - 1)]
        }
    }

    public static func run(_ options: Options) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try OutcomeDatabase(path: directory.appendingPathComponent("intake.sqlite").path)
        let secret = UUID().uuidString + UUID().uuidString
        var logger = Logger(label: "vigie.bench.intake")
        logger.logLevel = .critical
        let committer = InboxCommitter(database: database)
        let server = IntakeBenchmarkServer(secret: secret, committer: committer, logger: logger)
        let port = try await server.start()
        defer { server.stop() }

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60),
                                  concurrentHTTP1ConnectionsPerHostSoftLimit: options.concurrency)))
        let url = "http://127.0.0.1:\(port)/webhook/\(secret)"
        do {
            let bodies = IntakeBenchmarkLoad(batch: options.batch)
            _ = try await IntakeBenchmarkLoad.drive(client: client, url: url, bodies: bodies, first: 0,
                                                    count: options.warmup, concurrency: options.concurrency,
                                                    maxSeconds: options.maxSeconds)
            let transactionsBefore = await committer.transactionCount
            let start = ContinuousClock.now
            let run = try await IntakeBenchmarkLoad.drive(client: client, url: url, bodies: bodies, first: options.warmup,
                                                          count: options.requests, concurrency: options.concurrency,
                                                          maxSeconds: options.maxSeconds)
            let elapsed = start.duration(to: .now)
            let transactions = await committer.transactionCount - transactionsBefore
            try await client.shutdown()
            let stored = try await database.writer.read { db in try InboxRecord.fetchCount(db) }
            return Result(requests: run.latencies.count, notifications: run.latencies.count * options.batch,
                          seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                          latencies: run.latencies.sorted(), failures: run.failures,
                          storedInDatabase: stored - (options.warmup * options.batch), transactions: transactions)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The figures, one per line.
    public static func report(_ r: Result, options: Options) -> String {
        func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
        let perTransaction = r.transactions > 0 ? Double(r.requests) / Double(r.transactions) : 0
        return """
            intake: \(r.requests) requests × \(options.batch) notification\(options.batch == 1 ? "" : "s"), \
            \(options.concurrency) in flight, loopback, SQLite WAL synchronous=FULL
            notifications/s: \(Int(r.notificationsPerSecond.rounded()))  (requests/s: \(Int(r.requestsPerSecond.rounded())))
            answer latency: p50 \(ms(r.percentile(50)))  p99 \(ms(r.percentile(99)))  max \(ms(r.latencies.last ?? .nan))
            elapsed: \(String(format: "%.2f", r.seconds)) s  failures: \(r.failures)  \
            stored: \(r.storedInDatabase) of \(r.notifications)  \
            transactions: \(r.transactions) (\(String(format: "%.1f", perTransaction)) requests each)

            """
    }
}
