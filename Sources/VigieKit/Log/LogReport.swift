import Foundation
import OutcomeStore

/// The options of `vigie log`.
package struct LogOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }
    /// The SQLite database (`--db`), or nil with `configPath`.
    package var databasePath: String?
    /// The configuration whose store is read (`--config`: its `database:` or `store:`).
    package var configPath: String?
    /// Where `--config`'s secrets (the PostgreSQL URL) are read from.
    package var environment: [String: String]
    package var vin: String?
    package var rule: String?
    package var bundle: String?
    package var since: String?
    package var until: String?
    package var limit: Int?
    package var format: Format

    package init(databasePath: String? = nil, configPath: String? = nil, vin: String? = nil, rule: String? = nil,
                bundle: String? = nil, since: String? = nil, until: String? = nil, limit: Int? = nil,
                format: Format = .text, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.databasePath = databasePath
        self.configPath = configPath
        self.environment = environment
        self.vin = vin
        self.rule = rule
        self.bundle = bundle
        self.since = since
        self.until = until
        self.limit = limit
        self.format = format
    }
}

/// `vigie log --db FILE` or `--config FILE` (SQLite or PostgreSQL, `CommandStore`): the
/// recorded decisions and what became of their actions, as a readable timeline or as JSON
/// Lines. Exit 0, 1 (missing or unreadable store or configuration), 64 (usage).
package enum LogReport {
    package static func run(_ options: LogOptions, now: Date = Date()) async -> CommandOutput {
        switch (options.databasePath, options.configPath) {
        case (nil, nil): return CommandOutput(stderr: "error: give --db FILE or --config FILE\n", exitCode: 64)
        case (.some, .some): return CommandOutput(stderr: "error: give --db FILE or --config FILE, not both\n", exitCode: 64)
        default: break
        }
        var filter = LogFilter(vin: options.vin, rule: options.rule, bundle: options.bundle, limit: options.limit)
        if let text = options.since {
            guard let since = LogTimeArgument.parse(text, now: now) else {
                return CommandOutput(stderr: LogTimeArgument.usage("--since", text), exitCode: 64)
            }
            filter.since = since
        }
        if let text = options.until {
            guard let until = LogTimeArgument.parse(text, now: now) else {
                return CommandOutput(stderr: LogTimeArgument.usage("--until", text), exitCode: 64)
            }
            filter.until = until
        }
        if let limit = options.limit, limit < 1 {
            return CommandOutput(stderr: "error: --limit must be at least 1\n", exitCode: 64)
        }
        let decisions: [LoggedDecision]
        let manual: [Int64: ManualCommandRecord]
        let deliveries: [Int64: [NotificationDeliveryRecord]]
        do {
            let store = try CommandStore.resolve(databasePath: options.databasePath, configPath: options.configPath,
                                                 environment: options.environment)
            (decisions, deliveries, manual) = try await store.with { database in
                let decisions = try await database.loggedDecisions(filter)
                let deliveries = try await LogDeliveries.byFiring(database, decisions)
                let manual = try await database.manualCommands(firingIds: decisions.compactMap { logged in
                    logged.firing.bundle == ManualCommandRecord.bundle ? logged.firing.id : nil
                })
                return (decisions, deliveries, manual)
            }
        } catch {
            return CommandOutput(stderr: "error: \(error)\n", exitCode: 1)
        }
        switch options.format {
        case .json:
            // A manual command's line adds `"manual": {"action", "requestedBy", "via"}`.
            return CommandOutput(stdout: decisions.map { logged in
                let line = LogDeliveries.json(logged.jsonValue, logged, deliveries)
                guard let asked = logged.firing.id.flatMap({ manual[$0] }), case .object(var object) = line else {
                    return StoreJSON.string(line) + "\n"
                }
                object["manual"] = asked.jsonValue
                return StoreJSON.string(.object(object)) + "\n"
            }.joined(), exitCode: 0)
        case .text:
            return CommandOutput(stdout: decisions.map { LogTimeline.text($0, manual: $0.firing.id.flatMap { manual[$0] }, deliveries: deliveries) }
                                     .joined() + LogTimeline.summary(decisions),
                                 exitCode: 0)
        }
    }
}
