import Foundation
import GRDB

// Vigie's own alerts (docs/notifications.md, "Vigie's own alerts"): one open incident per
// key, and whether each of its two alerts was handed to the notifier.
extension OutcomeDatabase {
    /// The `alertIncident` table and its one-open-incident-per-key index (migration
    /// `alerts-v1`).
    static func createAlertTables(_ db: Database) throws {
        try db.create(table: "alertIncident") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("key", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("vin", .text)
            t.column("bundle", .text)
            t.column("rule", .text)
            t.column("title", .text).notNull()
            t.column("text", .text).notNull()
            t.column("openedAt", .datetime).notNull()
            t.column("resolvedAt", .datetime)
            t.column("resolvedText", .text)
            t.column("firingSent", .boolean).notNull().defaults(to: false)
            t.column("resolvedSent", .boolean).notNull().defaults(to: false)
        }
        try db.execute(sql: "CREATE UNIQUE INDEX alertIncident_one_open ON alertIncident(key) WHERE resolvedAt IS NULL")
        try db.execute(sql: """
            CREATE INDEX alertIncident_unsent ON alertIncident(id)
            WHERE firingSent = 0 OR (resolvedAt IS NOT NULL AND resolvedSent = 0)
            """)
    }

    /// Opens `incident` unless an incident with its key is open: returns the open one and
    /// whether it is new (then neither of its alerts is sent yet).
    @discardableResult
    package func openAlertIncident(_ incident: AlertIncidentRecord) throws -> (incident: AlertIncidentRecord, isNew: Bool) {
        try writer.write { db in
            if let open = try AlertIncidentRecord
                .filter(AlertIncidentRecord.Columns.key == incident.key && AlertIncidentRecord.Columns.resolvedAt == nil)
                .fetchOne(db) {
                return (open, false)
            }
            var row = incident
            row.id = nil
            row.resolvedAt = nil
            row.resolvedText = nil
            row.firingSent = false
            row.resolvedSent = false
            try row.insert(db)
            return (row, true)
        }
    }

    /// Resolves the open incident with `key` at `now` with `text`; nil when none is open.
    package func resolveAlertIncident(key: String, text: String, at now: Date) throws -> AlertIncidentRecord? {
        try writer.write { db in
            guard var open = try AlertIncidentRecord
                .filter(AlertIncidentRecord.Columns.key == key && AlertIncidentRecord.Columns.resolvedAt == nil)
                .fetchOne(db) else { return nil }
            open.resolvedAt = now
            open.resolvedText = text
            try open.update(db)
            return open
        }
    }

    /// The open incidents, oldest first.
    package func openAlertIncidents() throws -> [AlertIncidentRecord] {
        try writer.read { db in
            try AlertIncidentRecord.filter(AlertIncidentRecord.Columns.resolvedAt == nil)
                .order(AlertIncidentRecord.Columns.id).fetchAll(db)
        }
    }

    /// The incidents with an alert due and not handed to the notifier, oldest first.
    package func unsentAlertIncidents() throws -> [AlertIncidentRecord] {
        try writer.read { db in
            try AlertIncidentRecord.fetchAll(db, sql: """
                SELECT * FROM alertIncident
                WHERE firingSent = 0 OR (resolvedAt IS NOT NULL AND resolvedSent = 0) ORDER BY id
                """)
        }
    }

    /// Records that the incident's alert of `state` was handed to the notifier.
    package func markAlertSent(id: Int64, state: AlertIncidentRecord.State) throws {
        try writer.write { db in
            let column = state == .firing ? "firingSent" : "resolvedSent"
            try db.execute(sql: "UPDATE alertIncident SET \(column) = 1 WHERE id = ?", arguments: [id])
        }
    }
}
