import Logging
import ServiceLifecycle

/// A service of `vigie serve`'s group whose shutdown is logged: "stopping NAME" when the
/// group asks it to stop, "NAME stopped" when it has returned (or "NAME failed"), so a
/// shutdown that does not end names the service it waits for. The group stops its
/// services one at a time, in reverse order, so the last "stopping" without its
/// "stopped" is the one.
struct ShutdownLogged: Service {
    let inner: any Service
    let name: String
    let logger: Logger

    init(_ inner: any Service, name: String? = nil, logger: Logger) {
        self.inner = inner
        self.name = name ?? (inner as? any NamedService)?.serviceName ?? String(describing: type(of: inner))
        self.logger = logger
    }

    func run() async throws {
        do {
            try await withGracefulShutdownHandler {
                try await inner.run()
            } onGracefulShutdown: { [logger, name] in
                logger.info("stopping \(name)")
            }
        } catch {
            logger.info("\(name) failed", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("\(name) stopped")
    }
}

/// A service that names itself in the shutdown log (a wrapper names what it wraps).
protocol NamedService {
    var serviceName: String { get }
}

extension PartitionScoped: NamedService {
    var serviceName: String { String(describing: type(of: inner)) }
}
