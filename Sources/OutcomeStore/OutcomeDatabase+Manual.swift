import Foundation
import GRDB

// Manual commands (`vigie send`, the console's button): a fired decision of bundle
// `manual` with one queued remote action and its outbox row, plus who asked.
extension OutcomeDatabase {
    /// `manualCommand`: one row per manual decision, who asked and how.
    static func createManualTables(_ db: Database) throws {
        try db.create(table: "manualCommand") { t in
            t.primaryKey("firingId", .integer).references("firing", onDelete: .cascade)
            t.column("action", .text).notNull()
            t.column("requestedBy", .text).notNull()
            t.column("via", .text).notNull()
            t.column("requestedAt", .datetime).notNull()
        }
    }

    /// Queues a manual command in one transaction: its decision, action, outbox row and
    /// `manualCommand` row; bumps the control version so a running `vigie serve` notices
    /// it within its control watcher's period (another process cannot signal it).
    @discardableResult
    package func enqueueManualCommand(_ request: ManualCommandRequest, at now: Date) throws -> ManualCommandRecord {
        try writer.write { db in try Self.enqueueManualCommand(request, at: now, in: db) }
    }

    static func enqueueManualCommand(_ request: ManualCommandRequest, at now: Date, in db: Database) throws
        -> ManualCommandRecord {
        if request.requireKnownVehicle {
            let known = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM engineState WHERE vin = ?) OR EXISTS (SELECT 1 FROM firing WHERE vin = ?)
                """, arguments: [request.vin, request.vin]) ?? false
            guard known else { throw ManualCommandError.unknownVehicle(request.vin) }
        }
        let decision = DecisionRecord(at: now, vin: request.vin, bundle: ManualCommandRecord.bundle, rule: request.name,
                                      event: .fired, actions: [.remote(request.body)])
        let firingId = try insert(decision, dispatch: .enqueue, now: now, in: db)
        guard let actionId = try Int64.fetchOne(db, sql: "SELECT id FROM action WHERE firingId = ?",
                                                arguments: [firingId]) else {
            throw OutcomeStoreError.unknownAction(firingId)
        }
        try db.execute(sql: """
            INSERT INTO manualCommand (firingId, action, requestedBy, via, requestedAt) VALUES (?, ?, ?, ?, ?)
            """, arguments: [firingId, request.action, request.requestedBy, request.via, now])
        try db.execute(sql: "UPDATE controlVersion SET version = version + 1 WHERE id = 1")
        return ManualCommandRecord(firingId: firingId, actionId: actionId, vin: request.vin, action: request.action,
                                   requestedBy: request.requestedBy, via: request.via, requestedAt: now)
    }

    /// Who asked for each of these decisions that is a manual command (others are absent).
    package func manualCommands(firingIds: [Int64]) throws -> [Int64: ManualCommandRecord] {
        guard !firingIds.isEmpty else { return [:] }
        return try writer.read { db in
            var out: [Int64: ManualCommandRecord] = [:]
            for chunk in stride(from: 0, to: firingIds.count, by: 500).map({ Array(firingIds[$0..<min($0 + 500, firingIds.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT m.firingId, a.id AS actionId, f.vin, m.action, m.requestedBy, m.via, m.requestedAt
                    FROM manualCommand m JOIN firing f ON f.id = m.firingId
                    JOIN action a ON a.firingId = m.firingId AND a.position = 0
                    WHERE m.firingId IN (\(marks))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    let record = ManualCommandRecord(firingId: row["firingId"], actionId: row["actionId"], vin: row["vin"],
                                                     action: row["action"], requestedBy: row["requestedBy"],
                                                     via: row["via"], requestedAt: row["requestedAt"])
                    out[record.firingId] = record
                }
            }
            return out
        }
    }
}
