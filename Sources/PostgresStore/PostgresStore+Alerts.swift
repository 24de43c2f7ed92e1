import Foundation
import OutcomeStore
import PostgresNIO

// Vigie's own alerts (docs/notifications.md, "Vigie's own alerts"): one open incident per
// key (the partial unique index `alert_incident_one_open`), and whether each of its two
// alerts was handed to the notifier.
extension PostgresStore {
    /// The migration `alerts-v1`.
    static let alertsV1: [String] = [
        """
        CREATE TABLE alert_incident (
            id bigserial PRIMARY KEY, key text NOT NULL, kind text NOT NULL, vin text, bundle text, rule text,
            title text NOT NULL, text text NOT NULL, opened_at timestamptz NOT NULL, resolved_at timestamptz,
            resolved_text text, firing_sent boolean NOT NULL DEFAULT false,
            resolved_sent boolean NOT NULL DEFAULT false)
        """,
        "CREATE UNIQUE INDEX alert_incident_one_open ON alert_incident (key) WHERE resolved_at IS NULL",
        """
        CREATE INDEX alert_incident_unsent ON alert_incident (id)
        WHERE NOT firing_sent OR (resolved_at IS NOT NULL AND NOT resolved_sent)
        """,
    ]

    static let incidentColumns = """
        id, key, kind, vin, bundle, rule, title, text, opened_at, resolved_at, resolved_text, firing_sent, resolved_sent
        """

    static func incident(_ row: PostgresRow) throws -> AlertIncidentRecord {
        let (id, key, kind, vin, bundle, rule, title) =
            try row.decode((Int64, String, String, String?, String?, String?, String).self)
        let columns = row.makeRandomAccess()
        return AlertIncidentRecord(
            id: id, key: key, kind: kind, vin: vin, bundle: bundle, rule: rule, title: title,
            text: try columns[7].decode(String.self), openedAt: try columns[8].decode(Date.self),
            resolvedAt: try columns[9].decode(Date?.self), resolvedText: try columns[10].decode(String?.self),
            firingSent: try columns[11].decode(Bool.self), resolvedSent: try columns[12].decode(Bool.self))
    }

    @discardableResult
    package func openAlertIncident(_ incident: AlertIncidentRecord) async throws
        -> (incident: AlertIncidentRecord, isNew: Bool) {
        try await transaction { db in
            if let row = try await db.rows("""
                INSERT INTO alert_incident (key, kind, vin, bundle, rule, title, text, opened_at)
                VALUES (\(incident.key), \(incident.kind), \(incident.vin), \(incident.bundle), \(incident.rule),
                        \(incident.title), \(incident.text), \(incident.openedAt))
                ON CONFLICT DO NOTHING RETURNING \(unescaped: Self.incidentColumns)
                """).first {
                return (try Self.incident(row), true)
            }
            guard let row = try await db.rows("""
                SELECT \(unescaped: Self.incidentColumns) FROM alert_incident
                WHERE key = \(incident.key) AND resolved_at IS NULL
                """).first else { throw PostgresStoreError.corrupt("an incident conflicted but no open one was found") }
            return (try Self.incident(row), false)
        }
    }

    package func resolveAlertIncident(key: String, text: String, at now: Date) async throws -> AlertIncidentRecord? {
        try await withConnection { db in
            try await db.rows("""
                UPDATE alert_incident SET resolved_at = \(now), resolved_text = \(text)
                WHERE key = \(key) AND resolved_at IS NULL RETURNING \(unescaped: Self.incidentColumns)
                """).first.map(Self.incident)
        }
    }

    package func openAlertIncidents() async throws -> [AlertIncidentRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.incidentColumns) FROM alert_incident WHERE resolved_at IS NULL ORDER BY id
                """).map(Self.incident)
        }
    }

    package func unsentAlertIncidents() async throws -> [AlertIncidentRecord] {
        try await withConnection { db in
            try await db.rows("""
                SELECT \(unescaped: Self.incidentColumns) FROM alert_incident
                WHERE NOT firing_sent OR (resolved_at IS NOT NULL AND NOT resolved_sent) ORDER BY id
                """).map(Self.incident)
        }
    }

    package func markAlertSent(id: Int64, state: AlertIncidentRecord.State) async throws {
        try await withConnection { db in
            switch state {
            case .firing: try await db.execute("UPDATE alert_incident SET firing_sent = true WHERE id = \(id)")
            case .resolved: try await db.execute("UPDATE alert_incident SET resolved_sent = true WHERE id = \(id)")
            }
        }
    }
}
