import Foundation
import MonitorCompiler
import RuleEngine

/// What serve's drift check needs besides the rules (docs/notifications.md,
/// "monitors-drifted"): how often it runs, and what `vigie plan` would compile the
/// rules with — the API kind and callback URL, the inventory, the configured vehicle ids.
/// Part of `RuntimeSettings` (nil: no drift check).
package struct DriftSettings: Sendable {
    /// Seconds of the runtime's clock between two checks (`notifications.drift_check`,
    /// default 15 min); the first runs once the API access is ready.
    package var period: Double
    /// As `vigie plan` compiles (the callback URL carries the webhook secret: never logged).
    package var options: CompileOptions
    package var inventory: Inventory
    /// VIN → the API's vehicle id, from vigie.yaml (`vehicles:` ids).
    package var vehicleIDs: [String: String]
    /// The vehicles' labels each check's listing gives (`{{vehicle.name}}` without an
    /// inventory name): shared by the copies of these settings.
    package let labels = VehicleLabels()

    package static let defaultPeriod: Double = 15 * 60

    package init(period: Double = DriftSettings.defaultPeriod, options: CompileOptions, inventory: Inventory = Inventory(),
                 vehicleIDs: [String: String] = [:]) {
        self.period = period
        self.options = options
        self.inventory = inventory
        self.vehicleIDs = vehicleIDs
    }

    /// The settings of a configuration; nil when `notifications.drift_check` is `off`.
    package init?(config: VigieConfig) {
        guard let period = config.notifications.driftCheck else { return nil }
        self.init(period: period,
                  options: CompileOptions(api: config.api.kind == .b2b ? .b2b : .b2c,
                                          callbackURL: config.callback.webhookTarget()),
                  inventory: config.inventory, vehicleIDs: config.vehicleIDs)
    }
}
