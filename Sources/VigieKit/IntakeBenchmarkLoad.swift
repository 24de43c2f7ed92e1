import AsyncHTTPClient
import Foundation
import NIOCore

/// The load of `vigie bench intake`: distinct, schema-shaped monitor notifications
/// (each request's messages differ in vehicle, date and value, so none is a duplicate),
/// sent by `concurrency` workers that each keep one request in flight.
struct IntakeBenchmarkLoad: Sendable {
    let batch: Int

    /// The body of request number `index`.
    func body(_ index: Int) -> ByteBuffer {
        var items: [String] = []
        items.reserveCapacity(batch)
        for k in 0..<batch {
            let n = index * batch + k
            let seconds = n % 86_400
            let date = String(format: "2026-03-02T%02d:%02d:%02d.%03dZ", seconds / 3600, seconds / 60 % 60, seconds % 60,
                              n / 86_400 % 1000)
            items.append("""
                {"callbackId":"cb-bench","type":"Monitor","date":"\(date)",\
                "attributes":[{"key":"vin","value":"VR3BENCH\(String(format: "%09d", n % 1000))"}],\
                "monitorEvent":{"monitorId":"mon-\(n % 97)","refresh":false,"values":[{"data":"vehicle.energy.electric.level",\
                "value":{"type":"string","body":{"literalValue":"\(n % 101)"}}}]}}
                """)
        }
        return ByteBuffer(string: batch == 1 ? items[0] : "[" + items.joined(separator: ",") + "]")
    }

    struct Outcome: Sendable {
        var latencies: [Double] = []
        var failures = 0
    }

    /// Sends requests `first ..< first + count` with `concurrency` in flight; stops early
    /// after `maxSeconds`. Latency: from sending to the end of the answer.
    static func drive(client: HTTPClient, url: String, bodies: IntakeBenchmarkLoad, first: Int, count: Int,
                      concurrency: Int, maxSeconds: Double) async throws -> Outcome {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int64(maxSeconds * 1000)))
        let workers = max(1, min(concurrency, count))
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var outcome = Outcome()
                    outcome.latencies.reserveCapacity(count / workers + 1)
                    var index = worker
                    while index < count, ContinuousClock.now < deadline {
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(bodies.body(first + index))
                        let start = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 4096)
                        let elapsed = start.duration(to: .now)
                        if response.status == .ok {
                            outcome.latencies.append(Double(elapsed.components.attoseconds) / 1e18
                                                     + Double(elapsed.components.seconds))
                        } else {
                            outcome.failures += 1
                        }
                        index += workers
                    }
                    return outcome
                }
            }
            var total = Outcome()
            for try await part in group {
                total.latencies += part.latencies
                total.failures += part.failures
            }
            return total
        }
    }
}
