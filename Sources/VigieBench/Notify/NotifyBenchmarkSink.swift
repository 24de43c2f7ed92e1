import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// The benchmark's webhook receiver: answers 200 at once and counts the answers per
/// `webhook-id`.
final class NotifyBenchmarkSink: Sendable {
    private let seen = Mutex<[String: Int]>([:])
    private let task = Mutex<Task<Void, Error>?>(nil)

    var counts: [String: Int] { seen.withLock { $0 } }

    func start() async throws -> Int {
        let router = Router()
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            guard let id = request.headers[HTTPField.Name("webhook-id")!] else { return .badRequest }
            self.seen.withLock { $0[id, default: 0] += 1 }
            return .noContent
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let quiet = Logger(label: "vigie.bench.sink") { _ in SwiftLogNoOpLogHandler() }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quiet)
        task.withLock { $0 = Task { try await app.run() } }
        for await port in ports { return port }
        throw CancellationError()
    }

    func stop() { task.withLock { $0?.cancel() } }
}
