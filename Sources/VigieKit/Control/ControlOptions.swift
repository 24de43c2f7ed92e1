import Foundation

/// The options shared by `vigie pause` and `vigie resume` (docs/safety.md "Kill switch").
package struct ControlOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }

    /// The SQLite database of the `vigie serve` to control (`--db`), or its configuration
    /// (`--config`: its `database:` or its `store: {postgres: …}`).
    package var databasePath: String?
    package var configPath: String?
    package var vin: String?
    package var bundle: String?
    /// `bundle/rule` (resume only).
    package var rule: String?
    /// Why (pause only), kept with the pause and shown by `--list`.
    package var reason: String?
    /// `vigie pause --list`: show what is held instead of pausing.
    package var list: Bool
    package var format: Format
    /// Where `--config`'s secrets (the PostgreSQL URL) are read from.
    package var environment: [String: String]

    package init(databasePath: String? = nil, configPath: String? = nil, vin: String? = nil, bundle: String? = nil,
                rule: String? = nil, reason: String? = nil, list: Bool = false, format: Format = .text,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
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
