import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import VigieKit

/// The open-loop load of `vigie bench intake --rate R` (as wrk2 and vegeta send): request
/// `i` is due at `start + i / requestsPerSecond` and is sent then whatever the answers
/// to the earlier ones, each from its own task over a pool of connections. Its latency
/// runs from the *due* time to the end of its answer, so a server that stalls is charged
/// for every request that should have gone out during the stall (no coordinated
/// omission): time spent waiting for a free connection, or by a late sender, counts.
struct IntakeBenchmarkSchedule: Sendable {
    let requestsPerSecond: Double

    struct Outcome: Sendable {
        /// Due time to end of answer, seconds, one per 200 answer.
        var latencies: [Double] = []
        var failures = 0
        /// How late each request left its sender (send start − due time), seconds.
        var sendLags: [Double] = []
        /// From the first due time to the last request sent.
        var sendSeconds = 0.0
        /// From the first due time to the last answer.
        var answerSeconds = 0.0
    }

    /// Sends requests `first ..< first + count` on the schedule; stops sending after
    /// `maxSeconds`, then waits for the answers of what was sent.
    func drive(client: HTTPClient, url: String, bodies: IntakeBenchmarkLoad, first: Int, count: Int,
               maxSeconds: Double) async throws -> Outcome {
        let collector = Collector(expected: count)
        let start = ContinuousClock.now.advanced(by: .milliseconds(2))
        let deadline = start.advanced(by: .milliseconds(Int64(maxSeconds * 1000)))
        let nanosPerRequest = 1e9 / requestsPerSecond
        var lastSent = start
        try await withThrowingDiscardingTaskGroup { group in
            for index in 0..<count {
                let due = start.advanced(by: .nanoseconds(Int64((Double(index) * nanosPerRequest).rounded())))
                guard due < deadline else { break }
                if due > .now { try await Task.sleep(until: due, tolerance: .zero, clock: .continuous) }
                lastSent = .now
                let lag = due.duration(to: lastSent)
                group.addTask {
                    let ok = try await Self.send(client: client, url: url, body: bodies.body(first + index))
                    collector.record(lag: lag, latency: due.duration(to: .now), ok: ok)
                }
            }
        }
        var outcome = collector.outcome()
        outcome.sendSeconds = start.duration(to: lastSent).inSeconds
        outcome.answerSeconds = start.duration(to: collector.lastAnswer ?? start).inSeconds
        return outcome
    }

    /// One POST; true when it was answered 200.
    private static func send(client: HTTPClient, url: String, body: ByteBuffer) async throws -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 4096)
        return response.status == .ok
    }

    /// The answers as they come, from every request's task.
    private final class Collector: Sendable {
        private struct State {
            var result = Outcome()
            var last: ContinuousClock.Instant?
        }

        private let state: Mutex<State>

        var lastAnswer: ContinuousClock.Instant? { state.withLock { $0.last } }

        init(expected: Int) {
            var initial = State()
            initial.result.latencies.reserveCapacity(expected)
            initial.result.sendLags.reserveCapacity(expected)
            state = Mutex(initial)
        }

        func record(lag: Duration, latency: Duration, ok: Bool) {
            let now = ContinuousClock.now
            state.withLock {
                $0.result.sendLags.append(lag.inSeconds)
                if ok { $0.result.latencies.append(latency.inSeconds) } else { $0.result.failures += 1 }
                $0.last = max($0.last ?? now, now)
            }
        }

        func outcome() -> Outcome { state.withLock { $0.result } }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
