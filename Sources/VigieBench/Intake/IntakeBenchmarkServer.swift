import Foundation
import Hummingbird
import Logging
import OutcomeStore
import Synchronization
import VigieKit
import WebhookServer

/// The receiver of `vigie bench intake`, on 127.0.0.1 and a free port.
final class IntakeBenchmarkServer: Sendable {
    private let secret: String
    private let committer: InboxCommitter
    private let logger: Logger
    private let task = Mutex<Task<Void, Error>?>(nil)

    init(secret: String, committer: InboxCommitter, logger: Logger) {
        self.secret = secret
        self.committer = committer
        self.logger = logger
    }

    /// Starts the server; returns its port once it listens.
    func start() async throws -> Int {
        let configuration = WebhookConfiguration(secret: secret, host: "127.0.0.1", port: 0)
        let router = buildRouter(configuration: configuration, committer: committer, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, server: configuration.httpServer,
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "vigie"),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              },
                              logger: logger)
        task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await port in ports where port > 0 { return port }
        throw CancellationError()
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }
}
