import AsyncHTTPClient
import Foundation
import VigieKit

/// The load generator of `vigie bench intake` as a second process (`--client-only`), so
/// that the client's CPU is not taken from the server's process — as in a deployment,
/// where the API sends from other machines. (Both processes still share this machine's
/// cores.) The child prints `warm` once its unmeasured requests are answered, then one
/// JSON line with the measured run.
enum IntakeBenchmarkClient {
    struct Report: Codable, Sendable {
        /// The measured run: closed loop, first send to last answer; open loop, first
        /// due time to last answer.
        var seconds: Double
        var failures: Int
        var latencies: [Double]
        /// Open loop: how late requests left the sender (seconds), sorted; first due time
        /// to last send.
        var sendLags: [Double]? = nil
        var sendSeconds: Double? = nil
    }

    /// The child's side: warm-up, then the measured requests against `url`.
    static func run(url: String, options: IntakeBenchmark.Options, announce: @Sendable (String) -> Void)
        async throws -> Report {
        let connections = options.rate == nil ? options.concurrency : options.connections
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60),
                                  concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        do {
            let report = try await measure(client: client, url: url, options: options, announce: announce)
            try await client.shutdown()
            return report
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Warm-up, `announce("warm")`, then the measured requests: open loop at
    /// `options.rate` when set (the warm-up too), else closed loop.
    private static func measure(client: HTTPClient, url: String, options: IntakeBenchmark.Options,
                                announce: @Sendable (String) -> Void) async throws -> Report {
        let bodies = IntakeBenchmarkLoad(batch: options.batch)
        if let rate = options.rate {
            let schedule = IntakeBenchmarkSchedule(requestsPerSecond: rate / Double(options.batch))
            _ = try await schedule.drive(client: client, url: url, bodies: bodies, first: 0, count: options.warmup,
                                         maxSeconds: options.maxSeconds)
            announce("warm")
            let run = try await schedule.drive(client: client, url: url, bodies: bodies, first: options.warmup,
                                               count: options.requests, maxSeconds: options.maxSeconds)
            return Report(seconds: run.answerSeconds, failures: run.failures, latencies: run.latencies,
                          sendLags: run.sendLags.sorted(), sendSeconds: run.sendSeconds)
        }
        _ = try await IntakeBenchmarkLoad.drive(client: client, url: url, bodies: bodies, first: 0,
                                                count: options.warmup, concurrency: options.concurrency,
                                                maxSeconds: options.maxSeconds)
        announce("warm")
        let start = ContinuousClock.now
        let run = try await IntakeBenchmarkLoad.drive(client: client, url: url, bodies: bodies, first: options.warmup,
                                                      count: options.requests, concurrency: options.concurrency,
                                                      maxSeconds: options.maxSeconds)
        return Report(seconds: start.duration(to: .now).inSeconds, failures: run.failures, latencies: run.latencies)
    }

    /// The child's whole output for `vigie bench intake --client-only`.
    static func runAndPrint(url: String, options: IntakeBenchmark.Options) async throws {
        let report = try await run(url: url, options: options) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        let data = try JSONEncoder().encode(report)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// The parent's side: runs `executable bench intake --client-only …` and returns its
    /// report; `onWarm` is called when the child starts its measured requests.
    static func spawn(executable: String, url: String, options: IntakeBenchmark.Options,
                      onWarm: @escaping @Sendable () -> Void) async throws -> Report {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench", "intake", "--client-only", "--url", url,
                             "--requests", "\(options.requests)", "--concurrency", "\(options.concurrency)",
                             "--batch", "\(options.batch)", "--max-seconds", "\(options.maxSeconds)",
                             "--warmup", "\(options.warmup)", "--connections", "\(options.connections)"]
                             + (options.rate.map { ["--rate", "\($0)"] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let lines: [String] = await withCheckedContinuation { continuation in
            // A plain thread reads the pipe, so no cooperative thread blocks on it.
            Thread.detachNewThread {
                var collected: [String] = []
                var pending = Data()
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: 10) {
                        let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                        pending = Data(pending[(newline + 1)...])
                        if line == "warm" { onWarm() } else { collected.append(line) }
                    }
                }
                continuation.resume(returning: collected)
            }
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let last = lines.last,
              let report = try? JSONDecoder().decode(Report.self, from: Data(last.utf8)) else {
            throw IntakeBenchmarkError.clientFailed(status: process.terminationStatus)
        }
        return report
    }
}

/// Why `vigie bench intake` could not measure.
package enum IntakeBenchmarkError: Error, CustomStringConvertible {
    case clientFailed(status: Int32)

    package var description: String {
        switch self {
        case .clientFailed(let status): return "the load-generating client process failed (exit status \(status))"
        }
    }
}
