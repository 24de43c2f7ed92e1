import Foundation
import Hummingbird
import Logging
import Simulator

/// The project's simulator (`vigie sim`'s router) listening on a free loopback port,
/// for the client tests; `stop()` ends its server.
struct LoopbackSimulator: Sendable {
    let config: SimConfiguration
    let core: SimCore
    let port: Int
    private let task: Task<Void, Error>

    /// Starts the server and returns once it listens.
    static func start(config: SimConfiguration, logLevel: Logger.Level = .info) async -> LoopbackSimulator {
        let core = SimCore(config: config, start: Date())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "sim-test")
        logger.logLevel = logLevel
        let app = Application(router: buildSimRouter(core: core),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.run() }
        var bound = 0
        for await port in ports {
            bound = port
            break
        }
        return LoopbackSimulator(config: config, core: core, port: bound, task: task)
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
