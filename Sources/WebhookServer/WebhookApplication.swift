import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OutcomeStore

/// The receiver's router: the webhook route only (health, readiness and metrics are on
/// the admin listener). Tests drive it with `app.test(.router)`.
/// `onStored` runs after each request that committed inbox rows, before its 200.
package func buildRouter(configuration: WebhookConfiguration, committer: InboxCommitter,
                        counters: IntakeCounters = IntakeCounters(),
                        logger: Logger = Logger(label: "vigie.webhook"),
                        onStored: (@Sendable () -> Void)? = nil) -> Router<BasicRequestContext> {
    let router = Router()
    WebhookController<BasicRequestContext>(configuration: configuration, committer: committer,
                                           counters: counters, logger: logger, onStored: onStored)
        .addRoutes(to: router)
    return router
}

/// The receiver as a runnable application on `configuration.host:port`, storing into
/// `database` with group commit. `onServerRunning` receives the bound port (useful
/// with port 0).
package func buildApplication(configuration: WebhookConfiguration, database: OutcomeDatabase,
                             counters: IntakeCounters = IntakeCounters(),
                             logger: Logger = Logger(label: "vigie.webhook"),
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol {
    let committer = InboxCommitter(database: database)
    let router = buildRouter(configuration: configuration, committer: committer, counters: counters, logger: logger)
    return Application(
        router: router,
        server: configuration.httpServer,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "vigie"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger
    )
}

extension WebhookConfiguration {
    /// The HTTP/1.1 server the receiver should run on: closes idle connections after
    /// `idleTimeout` and requests that take longer than `requestTimeout` to arrive
    /// (slow-loris clients). Pass it as `Application(router:server:…)`.
    package var httpServer: HTTPServerBuilder {
        let requestTimeout = TimeAmount(self.requestTimeout)
        return .http1(configuration: .init(
            additionalChannelHandlers: [RequestDeadlineHandler(timeout: requestTimeout)],
            idleTimeout: TimeAmount(idleTimeout)))
    }
}
