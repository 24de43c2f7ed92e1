import Foundation
import Logging
import PostgresStore
import ServiceLifecycle

/// On PostgreSQL, until partitions share the work (docs/cluster.md): one `vigie serve`
/// per database. This service holds a session advisory lock on a connection of its own
/// for the life of the process; a second instance finds it taken and stops at start
/// (`acquired` fails, so `start()` throws). When the connection drops (the server ended
/// it), the lock is taken again; if another instance took it meanwhile, this one stops.
struct PostgresInstanceLock: Service {
    let store: PostgresStore
    let acquired: Once<Void>
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var everHeld = false
            while !Task.isCancelled {
                do {
                    let got = try await store.holdAdvisoryLock(PostgresStore.instanceLockKey) {
                        acquired.resolve(.success(()))
                    }
                    if got { return }   // cancelled while held: released
                    let error = ServeError.configuration(
                        "another vigie serve runs on this PostgreSQL database: until partitions are built, run one instance per database (docs/cluster.md)")
                    acquired.resolve(.failure(error))
                    if everHeld { logger.critical("\(error)") }
                    throw error
                } catch let error as ServeError {
                    throw error
                } catch {
                    if Task.isCancelled { return }
                    everHeld = everHeld || acquired.current != nil
                    logger.error("the instance lock's connection failed; taking the lock again", metadata: [
                        "error": "\(error)"])
                    do { try await Task.sleep(for: .milliseconds(500)) } catch { return }
                }
            }
        }
    }
}
