import Foundation

/// The options of `vigie explain` (docs/explain.md).
package struct ExplainOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }
    /// The outcome database; nil: the configuration's `database`.
    package var databasePath: String?
    package var vin: String
    /// `RULE` or `BUNDLE/RULE`.
    package var rule: String
    /// `--at`: an RFC 3339 instant, a UTC date or a duration back from now; nil: now.
    package var at: String?
    /// A `vigie.yaml`: its rules, inventory, database and reorder window.
    package var configPath: String?
    /// Rule files or folders (instead of a configuration).
    package var paths: [String]
    /// With `paths`: the vehicles and their tags (YAML or JSON), as `dry-run --inventory`.
    package var inventoryPath: String?
    /// With `paths`: the reorder window serve ran with, seconds (a configuration says it).
    package var reorderWindow: Double?
    package var format: Format
    package var environment: [String: String]

    package init(databasePath: String? = nil, vin: String, rule: String, at: String? = nil, configPath: String? = nil,
                paths: [String] = [], inventoryPath: String? = nil, reorderWindow: Double? = nil, format: Format = .text,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.databasePath = databasePath
        self.vin = vin
        self.rule = rule
        self.at = at
        self.configPath = configPath
        self.paths = paths
        self.inventoryPath = inventoryPath
        self.reorderWindow = reorderWindow
        self.format = format
        self.environment = environment
    }
}
