import Foundation

/// The options of `vigie explain` (docs/explain.md).
public struct ExplainOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    /// The outcome database; nil: the configuration's `database`.
    public var databasePath: String?
    public var vin: String
    /// `RULE` or `BUNDLE/RULE`.
    public var rule: String
    /// `--at`: an RFC 3339 instant, a UTC date or a duration back from now; nil: now.
    public var at: String?
    /// A `vigie.yaml`: its rules, inventory, database and reorder window.
    public var configPath: String?
    /// Rule files or folders (instead of a configuration).
    public var paths: [String]
    /// With `paths`: the vehicles and their tags (YAML or JSON), as `dry-run --inventory`.
    public var inventoryPath: String?
    /// With `paths`: the reorder window serve ran with, seconds (a configuration says it).
    public var reorderWindow: Double?
    public var format: Format
    public var environment: [String: String]

    public init(databasePath: String? = nil, vin: String, rule: String, at: String? = nil, configPath: String? = nil,
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
