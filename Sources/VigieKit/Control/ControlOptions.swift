import Foundation

/// The options shared by `vigie pause` and `vigie resume` (docs/safety.md "Kill switch").
public struct ControlOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    /// The database of the `vigie serve` to control (`--db`), or its configuration (`--config`).
    public var databasePath: String?
    public var configPath: String?
    public var vin: String?
    public var bundle: String?
    /// `bundle/rule` (resume only).
    public var rule: String?
    /// Why (pause only), kept with the pause and shown by `--list`.
    public var reason: String?
    /// `vigie pause --list`: show what is held instead of pausing.
    public var list: Bool
    public var format: Format

    public init(databasePath: String? = nil, configPath: String? = nil, vin: String? = nil, bundle: String? = nil,
                rule: String? = nil, reason: String? = nil, list: Bool = false, format: Format = .text) {
        self.databasePath = databasePath
        self.configPath = configPath
        self.vin = vin
        self.bundle = bundle
        self.rule = rule
        self.reason = reason
        self.list = list
        self.format = format
    }
}
