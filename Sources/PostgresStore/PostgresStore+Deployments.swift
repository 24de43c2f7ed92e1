import Foundation
import OutcomeStore
import PostgresNIO

// The last deployment `vigie apply` (or `vigie demo`) made: one row per monitor.
extension PostgresStore {
    /// The `deployed_monitor` table (migration `deployments-v1`).
    static let deploymentsV1: [String] = [
        """
        CREATE TABLE deployed_monitor (
            monitor_id text PRIMARY KEY, vin text, fleet text, label text NOT NULL, rules text NOT NULL,
            deployed_at timestamptz NOT NULL)
        """,
        "CREATE INDEX deployed_monitor_on_vin_label ON deployed_monitor (vin, label)",
    ]

    package func replaceDeployment(_ monitors: [DeployedMonitorRecord], at now: Date) async throws {
        try await transaction { db in
            var kept: [String: Date] = [:]
            for row in try await db.rows("SELECT monitor_id, label, deployed_at FROM deployed_monitor") {
                let (id, label, at) = try row.decode((String, String, Date).self)
                kept["\(id)\n\(label)"] = at
            }
            try await db.execute("DELETE FROM deployed_monitor")
            for m in monitors {
                let at = kept["\(m.monitorId)\n\(m.label)"] ?? now
                try await db.execute("""
                    INSERT INTO deployed_monitor (monitor_id, vin, fleet, label, rules, deployed_at)
                    VALUES (\(m.monitorId), \(m.vin), \(m.fleet), \(m.label), \(m.rulesJSON), \(at))
                    """)
            }
        }
    }

    package func deployedMonitors(vin: String?, offset: Int, limit: Int) async throws -> [DeployedMonitorRecord] {
        try await withConnection { db in
            // NULLS FIRST and byte order: as SQLite orders them.
            try await db.rows("""
                SELECT monitor_id, vin, fleet, label, rules, deployed_at FROM deployed_monitor
                WHERE \(vin)::text IS NULL OR vin = \(vin) ORDER BY vin COLLATE "C" NULLS FIRST, label COLLATE "C" LIMIT \(limit) OFFSET \(offset)
                """).map { row in
                let (id, vin, fleet, label, rules, at) = try row.decode((String, String?, String?, String, String, Date).self)
                return DeployedMonitorRecord(vin: vin, fleet: fleet, monitorId: id, label: label,
                                             rules: (StoreJSON.parse(rules)?.arrayValue ?? []).compactMap(\.stringValue),
                                             deployedAt: at)
            }
        }
    }
}
