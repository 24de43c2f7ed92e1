import Foundation
import OutcomeStore
import RuleEngine
import RuleLanguage

/// What the console reads: the outcome log (SQLite or PostgreSQL), the deployed bundles and inventory, and a
/// few live figures of the running `vigie serve` (readiness, notifications stored). The
/// console never writes anything but holds, through the same store calls as
/// `vigie pause` / `vigie resume`.
package struct ConsoleSource: Sendable {
    package var database: any ConsoleStore
    /// The engine state scope (`serve`).
    package var scope: String
    package var bundles: [CheckedBundle]
    package var inventory: Inventory
    /// Whether the runtime can do all its work, and why not.
    package var readiness: @Sendable () -> (ready: Bool, reason: String?)
    /// Notifications stored since start (the intake rate is its rise per second).
    package var notificationsStored: @Sendable () -> Int
    package var now: @Sendable () -> Date
    /// The trace page's `--explain` view (nil: the page points to `vigie explain`).
    package var explain: ConsoleExplainer?

    package init(database: any ConsoleStore, scope: String = "serve", bundles: [CheckedBundle],
                inventory: Inventory = Inventory(),
                readiness: @escaping @Sendable () -> (ready: Bool, reason: String?) = { (true, nil) },
                notificationsStored: @escaping @Sendable () -> Int = { 0 },
                now: @escaping @Sendable () -> Date = { Date() }, explain: ConsoleExplainer? = nil) {
        self.database = database
        self.scope = scope
        self.bundles = bundles
        self.inventory = inventory
        self.readiness = readiness
        self.notificationsStored = notificationsStored
        self.now = now
        self.explain = explain
    }

    /// The rules that watch `vin`, in bundle then rule order.
    func rules(for vin: String) -> [(bundle: CheckedBundle, rule: CheckedRule)] {
        var out: [(CheckedBundle, CheckedRule)] = []
        for bundle in bundles where inventory.selects(bundle.vehicles, vin: vin) {
            for rule in bundle.rules { out.append((bundle, rule)) }
        }
        return out
    }
}
