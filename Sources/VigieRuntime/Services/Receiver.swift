import Foundation
import Hummingbird
import Logging
import OutcomeStore
import ServiceLifecycle
import WebhookServer

/// The receiver service: the public listener, serving the webhook route only (the
/// admin listener serves the rest). A notification is answered 200 only once committed
/// to the inbox; after each such request the engine is woken (`EngineHandoff`).
/// Graceful shutdown: stops accepting, answers the requests in progress, returns.
struct Receiver: Service {
    private let app: any Service
    private let address: String
    private let bound: Once<Int>

    /// - Parameter bound: resolved with the bound port (or the error that kept the
    ///   listener from binding).
    init(settings: RuntimeSettings, store: any RuntimeStore, counters: IntakeCounters, engine: EngineHandoff,
         bound: Once<Int>, logger: Logger) {
        let webhook = WebhookConfiguration(secret: settings.webhookSecret, maxBodyBytes: settings.maxBodyBytes,
                                           host: settings.host, port: settings.port)
        let router = buildRouter(configuration: webhook, committer: InboxCommitter(store: store), counters: counters,
                                 logger: logger, onStored: { engine.inboxChanged() })
        app = Application(router: router,
                          server: webhook.httpServer,   // idle and request time-outs (slow clients)
                          configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "vigie"),
                          onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? 0)) },
                          logger: logger)
        address = "\(settings.host):\(settings.port)"
        self.bound = bound
    }

    func run() async throws {
        do {
            try await app.run()
        } catch {
            let failure = ServeError.listen(what: "webhook listener", address: address, error)
            bound.resolve(.failure(failure))
            throw bound.current == nil ? failure : error
        }
        bound.resolve(.failure(ServeError.serverStopped))
    }
}
