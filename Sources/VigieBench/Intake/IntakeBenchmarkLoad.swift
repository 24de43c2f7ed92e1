import AsyncHTTPClient
import Foundation
import NIOCore
import VigieKit

/// The load of `vigie bench intake`: distinct, schema-shaped monitor notifications
/// (each request's messages differ in vehicle, date and value, so none is a duplicate),
/// sent by `concurrency` workers that each keep one request in flight. Bodies are
/// assembled from bytes (no formatting calls), so the load costs the client little.
struct IntakeBenchmarkLoad: Sendable {
    let batch: Int

    /// The body of request number `index`.
    func body(_ index: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(batch * 340 + 2)
        if batch > 1 { buffer.writeStaticString("[") }
        for k in 0..<batch {
            if k > 0 { buffer.writeStaticString(",") }
            Self.writeMessage(index * batch + k, into: &buffer)
        }
        if batch > 1 { buffer.writeStaticString("]") }
        return buffer
    }

    /// Message number `n`: its date (`2026-03-02T…Z` plus milliseconds from `n`) and
    /// value make it unique; the vehicle cycles through 1000 VINs.
    static func writeMessage(_ n: Int, into buffer: inout ByteBuffer) {
        let seconds = n % 86_400
        buffer.writeStaticString(#"{"callbackId":"cb-bench","type":"Monitor","date":"2026-03-02T"#)
        writeDigits(seconds / 3600, width: 2, into: &buffer)
        buffer.writeStaticString(":")
        writeDigits(seconds / 60 % 60, width: 2, into: &buffer)
        buffer.writeStaticString(":")
        writeDigits(seconds % 60, width: 2, into: &buffer)
        buffer.writeStaticString(".")
        writeDigits(n / 86_400 % 1000, width: 3, into: &buffer)
        buffer.writeStaticString(#"Z","attributes":[{"key":"vin","value":"VR3BENCH"#)
        writeDigits(n % 1000, width: 9, into: &buffer)
        buffer.writeStaticString(#""}],"monitorEvent":{"monitorId":"mon-"#)
        writeDigits(n % 97, width: 1, into: &buffer)
        buffer.writeStaticString(#"","refresh":false,"values":[{"data":"vehicle.energy.electric.level","#)
        buffer.writeStaticString(#""value":{"type":"string","body":{"literalValue":""#)
        writeDigits(n % 101, width: 1, into: &buffer)
        buffer.writeStaticString(#""}}}]}}"#)
    }

    /// `value` in decimal, left-padded with zeros to at least `width` digits.
    static func writeDigits(_ value: Int, width: Int, into buffer: inout ByteBuffer) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(48 + rest % 10))
            rest /= 10
        } while rest > 0
        for _ in digits.count..<max(width, digits.count) { buffer.writeInteger(UInt8(48)) }
        for digit in digits.reversed() { buffer.writeInteger(digit) }
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
