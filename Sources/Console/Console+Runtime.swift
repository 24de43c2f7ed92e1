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
    /// configuration's `admin.token`.
    public static func mount(on runtime: ServeRuntime) throws {
        let console = try Console(source: ConsoleSource(runtime: runtime),
                                  settings: ConsoleSettings(token: runtime.settings.adminToken))
        runtime.addAdminRoutes { router in console.addRoutes(to: router) }
    }
}
