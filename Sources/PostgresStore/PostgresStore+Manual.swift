import Foundation
import OutcomeStore
import PostgresNIO

// Manual commands (`vigie send`, the console's button): a fired decision of bundle
// `manual` with one queued remote action and its outbox row, plus who asked.
extension PostgresStore {
    /// The `manual_command` table (migration `manual-v1`).
    static let manualV1: [String] = [
        """
        CREATE TABLE manual_command (
            firing_id bigint PRIMARY KEY REFERENCES firing (id) ON DELETE CASCADE, action text NOT NULL,
            requested_by text NOT NULL, via text NOT NULL, requested_at timestamptz NOT NULL)
        """,
    ]

    @discardableResult
    package func enqueueManualCommand(_ request: ManualCommandRequest, at now: Date) async throws -> ManualCommandRecord {
        try await transaction { db in
            if request.requireKnownVehicle {
                let known = try await db.value("""
                    SELECT EXISTS (SELECT 1 FROM engine_state WHERE vin = \(request.vin))
                        OR EXISTS (SELECT 1 FROM firing WHERE vin = \(request.vin))
                    """, as: Bool.self) ?? false
                guard known else { throw ManualCommandError.unknownVehicle(request.vin) }
            }
            let decision = DecisionRecord(at: now, vin: request.vin, bundle: ManualCommandRecord.bundle,
                                          rule: request.name, event: .fired, actions: [.remote(request.body)])
            let firingId = try await Self.insert(decision, dispatch: .enqueue, now: now, in: db)
            guard let actionId = try await db.value("SELECT id FROM action WHERE firing_id = \(firingId)",
                                                    as: Int64.self) else {
                throw PostgresStoreError.corrupt("manual command \(firingId) has no action")
            }
            try await db.execute("""
                INSERT INTO manual_command (firing_id, action, requested_by, via, requested_at)
                VALUES (\(firingId), \(request.action), \(request.requestedBy), \(request.via), \(now))
                """)
            try await db.execute("UPDATE control_version SET version = version + 1 WHERE id = 1")
            return ManualCommandRecord(firingId: firingId, actionId: actionId, vin: request.vin, action: request.action,
                                       requestedBy: request.requestedBy, via: request.via, requestedAt: now)
        }
    }

    package func manualCommands(firingIds: [Int64]) async throws -> [Int64: ManualCommandRecord] {
        guard !firingIds.isEmpty else { return [:] }
        return try await withConnection { db in
            var out: [Int64: ManualCommandRecord] = [:]
            for row in try await db.rows("""
                SELECT m.firing_id, a.id, f.vin, m.action, m.requested_by, m.via, m.requested_at
                FROM manual_command m JOIN firing f ON f.id = m.firing_id
                JOIN action a ON a.firing_id = m.firing_id AND a.position = 0
                WHERE m.firing_id = ANY(\(firingIds))
                """) {
                let (firingId, actionId, vin, action, by, via, at) =
                    try row.decode((Int64, Int64, String, String, String, String, Date).self)
                out[firingId] = ManualCommandRecord(firingId: firingId, actionId: actionId, vin: vin, action: action,
                                                    requestedBy: by, via: via, requestedAt: at)
            }
            return out
        }
    }
}
