import Foundation
import RuleEngine

/// What `vigie serve`, `vigie plan` and `vigie apply` run with: the contents of a
/// `vigie.yaml` (docs/configuration.md). Paths are absolute once loaded (relative ones
/// resolve against the configuration file's folder). Durations are seconds.
///
/// Build one in code with the initialiser (every section has defaults), or read a file
/// with `VigieConfig.load(path:environment:)`.
package struct VigieConfig: Sendable {
    /// How to reach the Stellantis API.
    package var api: API
    /// Where the API sends notifications.
    package var callback: Callback
    /// Where `vigie serve` listens.
    package var listen: Listen
    /// `admin:`: the admin listener (metrics, health, control API) and its token.
    package var admin: Admin = Admin()
    /// `notifications:`: people's channels, the default ones, where alerts go (docs/notifications.md).
    package var notifications: NotificationsConfig = NotificationsConfig()
    /// The SQLite database (inbox, outbox, outcomes).
    package var databasePath: String
    /// `store:`: SQLite (`databasePath`, the default) or PostgreSQL.
    package var store: Store = .sqlite
    /// Rule files or folders (as `vigie validate` takes them).
    package var rules: [String]
    /// The vehicles, their tags and brands (what `vehicles: [{tag: …}]` selectors match).
    package var inventory: Inventory
    /// VIN → the API's vehicle id, for the vehicles whose id the configuration gives
    /// (the others are looked up with `VehicleResolver`).
    package var vehicleIDs: [String: String]
    /// Per-vehicle daily limits on commands.
    package var budgets: Budgets
    /// An observation older than this (seconds) updates state but never triggers a command.
    package var staleAfter: Double
    /// How long a remote may stay without its `Done` notification (seconds) before the
    /// dispatcher reconciles it by listing the vehicle's remotes.
    package var remoteTimeout: Double
    /// Guardrails: kill switch and thresholds (docs/safety.md).
    package var safety: Safety
    /// `engine.reorder_window` (seconds, 0 = none): how far behind the runtime clock the
    /// engine's event time (its watermark) runs, so that notifications arriving out of
    /// order within it are observed at their own `date`, in date order (docs/serve.md).
    package var reorderWindow: Double
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    package var logLevel: String
    /// `log_format`: how `vigie serve` writes its log lines: text, json or logfmt.
    package var logFormat: String = "text"
    /// `retention`: how long old rows are kept before `vigie serve` prunes them.
    package var retention: Retention = Retention()
    /// The configuration file this was read from (nil when built in code).
    package var sourcePath: String?

    package init(api: API = API(), callback: Callback = Callback(), listen: Listen = Listen(),
                databasePath: String = "vigie.sqlite", rules: [String] = [], inventory: Inventory = Inventory(),
                vehicleIDs: [String: String] = [:], budgets: Budgets = Budgets(), staleAfter: Double = 300,
                remoteTimeout: Double = 600, safety: Safety = Safety(), logLevel: String = "info",
                sourcePath: String? = nil, reorderWindow: Double = 2) {
        self.api = api
        self.callback = callback
        self.listen = listen
        self.databasePath = databasePath
        self.rules = rules
        self.inventory = inventory
        self.vehicleIDs = vehicleIDs
        self.budgets = budgets
        self.staleAfter = staleAfter
        self.remoteTimeout = remoteTimeout
        self.safety = safety
        self.logLevel = logLevel
        self.sourcePath = sourcePath
        self.reorderWindow = reorderWindow
    }
}
