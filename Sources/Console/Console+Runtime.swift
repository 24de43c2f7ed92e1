import Foundation
import VigieRuntime
import WebhookServer

extension ConsoleSource {
    /// What a running `vigie serve` shows: its database, bundles, inventory, readiness
    /// and receiver counter.
    public init(runtime: ServeRuntime) {
        self.init(database: runtime.database, scope: runtime.settings.scope, bundles: runtime.bundles,
                  inventory: runtime.inventory, readiness: { runtime.readiness },
                  notificationsStored: { runtime.intake.snapshot.stored }, now: { runtime.clock.now() })
    }
}

extension Console {
    /// Serves the console on `runtime`'s admin listener (call before `start()`), with the
    /// configuration's `admin.token` (or `token`, for `vigie demo`).
    public static func mount(on runtime: ServeRuntime, token: String? = nil) throws {
        let console = try Console(source: ConsoleSource(runtime: runtime),
                                  settings: ConsoleSettings(token: token ?? runtime.settings.adminToken))
        runtime.addAdminRoutes { router in console.addRoutes(to: router) }
    }
}

extension Console {
    /// A fresh random token (256 bits, hex), for `vigie demo`.
    public static func newToken() -> String { ConsoleSessions.randomToken() }
}
