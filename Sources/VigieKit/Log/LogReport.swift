import Foundation
import OutcomeStore

/// The options of `vigie log`.
package struct LogOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }
    package var databasePath: String
    package var vin: String?
    package var rule: String?
    package var bundle: String?
    package var since: String?
    package var until: String?
    package var limit: Int?
    package var format: Format

    package init(databasePath: String, vin: String? = nil, rule: String? = nil, bundle: String? = nil,
                since: String? = nil, until: String? = nil, limit: Int? = nil, format: Format = .text) {
        self.databasePath = databasePath
        self.vin = vin
        self.rule = rule
        self.bundle = bundle
        self.since = since
        self.until = until
        self.limit = limit
        self.format = format
    }
}

/// `vigie log --db FILE`: the recorded decisions and what became of their actions, as a
/// readable timeline or as JSON Lines. Exit 0, 1 (missing or unreadable database), 64 (usage).
package enum LogReport {
    package static func run(_ options: LogOptions, now: Date = Date()) -> CommandOutput {
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
            let database = try OutcomeDatabase.openExisting(path: options.databasePath)
            decisions = try database.loggedDecisions(filter)
            deliveries = try LogDeliveries.byFiring(database, decisions)
            manual = try database.manualCommands(firingIds: decisions.compactMap { logged in
                logged.firing.bundle == ManualCommandRecord.bundle ? logged.firing.id : nil
            })
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
