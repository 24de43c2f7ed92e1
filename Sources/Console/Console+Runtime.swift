import Foundation
import OutcomeStore
import VigieRuntime
import WebhookServer

extension ConsoleSource {
    /// What a running `vigie serve` shows: its store (SQLite or PostgreSQL), bundles,
    /// inventory, readiness and receiver counter.
    package init(runtime: ServeRuntime, database: any ConsoleStore, explain: ConsoleExplainer? = nil) {
        self.init(database: database, scope: runtime.settings.scope, bundles: runtime.bundles,
                  inventory: runtime.inventory, readiness: { runtime.readiness },
                  notificationsStored: { runtime.intake.snapshot.stored }, now: { runtime.clock.now() }, explain: explain)
    }
}

extension Console {
    /// Serves the console on `runtime`'s admin listener (call before `start()`), with the
    /// configuration's `admin.token` (or `token`, for `vigie demo`), on the runtime's store;
    /// `explain` gives the trace page its `--explain` view (`Explain.consoleExplainer`), on
    /// that store too (SQLite or PostgreSQL).
    package static func mount(on runtime: ServeRuntime, token: String? = nil,
                             explain: (@Sendable (any RuntimeStore) -> ConsoleExplainer)? = nil) throws {
        guard let store = runtime.store as? any ConsoleStore else { throw ConsoleMountError.unsupportedStore }
        let console = try Console(source: ConsoleSource(runtime: runtime, database: store, explain: explain?(runtime.store)),
                                  settings: ConsoleSettings(token: token ?? runtime.settings.adminToken))
        runtime.addAdminRoutes { router in console.addRoutes(to: router) }
    }
}

extension Console {
    /// A fresh random token (256 bits, hex), for `vigie demo`.
    package static func newToken() -> String { ConsoleSessions.randomToken() }
}

/// The runtime's store does not answer the console's queries (`ConsoleStore`).
package enum ConsoleMountError: Error, CustomStringConvertible {
    case unsupportedStore

    package var description: String { "the web console needs a store that answers its queries (SQLite or PostgreSQL)" }
}
