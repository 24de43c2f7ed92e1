import Foundation
import GRDB

// The last deployment `vigie apply` (or `vigie demo`) made: one row per monitor.
extension OutcomeDatabase {
    /// `deployedMonitor`, ordered for the console's page by vehicle (fleet monitors first) then label.
    static func createDeploymentTables(_ db: Database) throws {
        try db.create(table: "deployedMonitor") { t in
            t.primaryKey("monitorId", .text)
            t.column("vin", .text)
            t.column("fleet", .text)
            t.column("label", .text).notNull()
            t.column("rules", .text).notNull()
            t.column("deployedAt", .datetime).notNull()
        }
        try db.create(index: "deployedMonitor_on_vin_label", on: "deployedMonitor", columns: ["vin", "label"])
    }

    /// Replaces the deployment with `monitors` in one transaction; a monitor already
    /// recorded with the same id and label keeps its `deployedAt`.
    package func replaceDeployment(_ monitors: [DeployedMonitorRecord], at now: Date) throws {
        try writer.write { db in
            var kept: [String: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT monitorId, label, deployedAt FROM deployedMonitor") {
                kept["\(row["monitorId"] as String)\n\(row["label"] as String)"] = row["deployedAt"]
            }
            try db.execute(sql: "DELETE FROM deployedMonitor")
            for m in monitors {
                try db.execute(sql: """
                    INSERT INTO deployedMonitor (monitorId, vin, fleet, label, rules, deployedAt) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [m.monitorId, m.vin, m.fleet, m.label, m.rulesJSON, kept["\(m.monitorId)\n\(m.label)"] ?? now])
            }
        }
    }

    /// The deployed monitors (of one vehicle when given), by vehicle then label; a page of them.
    package func deployedMonitors(vin: String?, offset: Int, limit: Int) throws -> [DeployedMonitorRecord] {
        // Two statements, not `? IS NULL OR vin = ?`: SQLite would scan instead of using the index.
        let filter = vin == nil ? "" : "WHERE vin = ?"
        var arguments: StatementArguments = [limit, offset]
        if let vin { arguments = [vin, limit, offset] }
        return try writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT monitorId, vin, fleet, label, rules, deployedAt FROM deployedMonitor
                \(filter) ORDER BY vin, label LIMIT ? OFFSET ?
                """, arguments: arguments).map { row in
                DeployedMonitorRecord(vin: row["vin"], fleet: row["fleet"], monitorId: row["monitorId"], label: row["label"],
                                      rules: DeployedMonitorRecord.rules(fromJSON: row["rules"]), deployedAt: row["deployedAt"])
            }
        }
    }

    /// How many monitors are deployed (on one vehicle when given), on how many vehicles,
    /// and when the latest was deployed.
    package func deploymentSummary(vin: String?) throws -> (monitors: Int, vehicles: Int, latest: Date?) {
        let filter = vin == nil ? "" : "WHERE vin = ?"
        return try writer.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS monitors, count(DISTINCT vin) AS vehicles, max(deployedAt) AS latest
                FROM deployedMonitor \(filter)
                """, arguments: vin.map { StatementArguments([$0]) } ?? StatementArguments())
            return (row?["monitors"] ?? 0, row?["vehicles"] ?? 0, row?["latest"])
        }
    }
}
