import Foundation
import OutcomeStore
import VigieRuntime
import WebhookServer

extension ConsoleSource {
    /// What a running `vigie serve` shows: its database, bundles, inventory, readiness
    /// and receiver counter.
    package init(runtime: ServeRuntime, database: OutcomeDatabase, explain: ConsoleExplainer? = nil) {
        self.init(database: database, scope: runtime.settings.scope, bundles: runtime.bundles,
                  inventory: runtime.inventory, readiness: { runtime.readiness },
                  notificationsStored: { runtime.intake.snapshot.stored }, now: { runtime.clock.now() }, explain: explain)
    }
}

extension Console {
    /// Serves the console on `runtime`'s admin listener (call before `start()`), with the
    /// configuration's `admin.token` (or `token`, for `vigie demo`); `explain` gives the trace
    /// page its `--explain` view (`Explain.consoleExplainer`).
    package static func mount(on runtime: ServeRuntime, token: String? = nil,
                             explain: (@Sendable (OutcomeDatabase) -> ConsoleExplainer)? = nil) throws {
        guard let database = runtime.database else { throw ConsoleMountError.notSQLite }
        let console = try Console(source: ConsoleSource(runtime: runtime, database: database, explain: explain?(database)),
                                  settings: ConsoleSettings(token: token ?? runtime.settings.adminToken))
        runtime.addAdminRoutes { router in console.addRoutes(to: router) }
    }
}

extension Console {
    /// A fresh random token (256 bits, hex), for `vigie demo`.
    package static func newToken() -> String { ConsoleSessions.randomToken() }
}

/// The console reads the SQLite store (its queries are synchronous); on PostgreSQL it is
/// not served yet (docs/cluster.md).
package enum ConsoleMountError: Error, CustomStringConvertible {
    case notSQLite

    package var description: String { "the web console needs the SQLite store" }
}
