import Foundation
import ServiceLifecycle

/// On PostgreSQL, `ServeRuntime`'s services as one service of the group that runs the
/// store's client: it waits until the store is usable (`prepare`: the schema migrated, the
/// holds read), then builds and runs the services' own group until shutdown. A graceful
/// shutdown of the outer group reaches the inner one (ServiceLifecycle passes it down),
/// so the services stop before the client does. When `prepare` or building fails,
/// `failed` is told (so `start()` throws) and the error ends the group.
struct ServeStage: Service {
    let prepare: @Sendable () async throws -> Void
    let makeGroup: @Sendable () async throws -> ServiceGroup
    let failed: @Sendable (any Error) -> Void

    func run() async throws {
        let group: ServiceGroup
        do {
            try await prepare()
            group = try await makeGroup()
        } catch {
            failed(error)
            throw error
        }
        try await group.run()
    }
}
