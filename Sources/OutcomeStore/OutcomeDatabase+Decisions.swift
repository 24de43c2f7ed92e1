import Foundation
import GRDB

extension OutcomeDatabase {
    /// Commits one engine step (decisions, implied commands, engine state, checkpoint,
    /// processed inbox ids) in a single transaction. Returns the new firing ids, in order.
    @discardableResult
    package func commit(_ step: DecisionCommit, now: Date = Date()) throws -> [Int64] {
        try writer.write { db in try Self.apply(step, now: now, in: db) }
    }

    /// The async form of `commit(_:now:)`, for callers on the cooperative pool.
    @discardableResult
    package func commit(_ step: DecisionCommit, now: Date = Date()) async throws -> [Int64] {
        try await writer.write { db in try Self.apply(step, now: now, in: db) }
    }

    /// Applies a step inside a transaction the caller holds. Cached statements, dates bound
    /// as `StoredDate` text: this runs at every engine step (GRDB's record API encoded each
    /// row through `Codable` and formatted its dates with ICU at every call; the rows are
    /// the same).
    package static func apply(_ step: DecisionCommit, now: Date, in db: Database) throws -> [Int64] {
        let at = StoredDate.value(now)
        var ids: [Int64] = []
        ids.reserveCapacity(step.decisions.count)
        for decision in step.decisions {
            ids.append(try insert(decision, dispatch: step.dispatch, now: now, at: at, in: db))
        }
        if !step.vehicleStates.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO engineState (scope, vin, state, updatedAt) VALUES (?, ?, ?, ?)
                ON CONFLICT (scope, vin) DO UPDATE SET state = excluded.state, updatedAt = excluded.updatedAt
                """)
            for (vin, state) in step.vehicleStates {
                try upsert.execute(arguments: [step.scope, vin, state, at])
            }
        }
        if let checkpoint = step.checkpoint {
            try db.cachedStatement(sql: """
                INSERT INTO engineCheckpoint (scope, position, at, state, updatedAt) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (scope) DO UPDATE SET position = excluded.position, at = excluded.at,
                  state = excluded.state, updatedAt = excluded.updatedAt
                """).execute(arguments: [step.scope, checkpoint.position, StoredDate.value(checkpoint.at),
                                         checkpoint.state, at])
        }
        if !step.processedInboxIds.isEmpty {
            try markProcessed(step.processedInboxIds, at: now, in: db)
        }
        return ids
    }

    /// Inserts one decision, one `action` row per action and, with `.enqueue`, one
    /// `outbox` row per remote action. Returns the firing id.
    package static func insert(_ decision: DecisionRecord, dispatch: DecisionCommit.Dispatch,
                              now: Date, in db: Database) throws -> Int64 {
        try insert(decision, dispatch: dispatch, now: now, at: StoredDate.value(now), in: db)
    }

    /// `insert` with `now` already spelled as stored (`at`).
    static func insert(_ decision: DecisionRecord, dispatch: DecisionCommit.Dispatch,
                       now: Date, at: DatabaseValue, in db: Database) throws -> Int64 {
        let (actionsJSON, payloads) = storedActions(decision.actions)
        try db.cachedStatement(sql: """
            INSERT INTO firing (at, vin, bundle, rule, event, reason, actions, inboxId, recordedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [StoredDate.value(decision.at), decision.vin, decision.bundle, decision.rule,
                                     decision.event.rawValue, decision.reason, actionsJSON, decision.inboxId, at])
        let firingId = db.lastInsertedRowID
        guard decision.event == .fired else { return firingId }
        for (position, action) in decision.actions.enumerated() {
            let status: ActionStatus
            switch (action, dispatch) {
            case (.notify, _): status = .notified
            case (.remote, .enqueue): status = .queued
            case (.remote, .recordOnly): status = .notSent
            }
            let payload = payloads[position]
            try db.cachedStatement(sql: """
                INSERT INTO action (firingId, position, kind, vin, payload, status, attempts, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
                """).execute(arguments: [firingId, position, action.kind, decision.vin, payload, status.rawValue, at, at])
            let actionId = db.lastInsertedRowID
            if case .notify = action, dispatch == .enqueue, let request = decision.notifications[position] {
                _ = try insertDeliveries(request, firingId: firingId, actionId: actionId, at: now, in: db)
            }
            if status == .queued {
                try db.cachedStatement(sql: """
                    INSERT INTO outbox (actionId, vin, body, status, createdAt, updatedAt) VALUES (?, ?, ?, 'queued', ?, ?)
                    """).execute(arguments: [actionId, decision.vin, payload, at, at])
            }
        }
        return firingId
    }

    /// The `firing.actions` text, `StoreJSON.string(.array(actions.map(\.jsonValue)))`, and
    /// each action's `payload`, encoding each body once: the array of one-key objects is
    /// written around the payloads (what the encoder writes for it, byte for byte).
    package static func storedActions(_ actions: [DecisionRecord.Action]) -> (json: String, payloads: [String]) {
        var payloads: [String] = []
        payloads.reserveCapacity(actions.count)
        var json = "["
        for (i, action) in actions.enumerated() {
            if i > 0 { json += "," }
            switch action {
            case .remote(let body):
                let payload = StoreJSON.string(body)
                payloads.append(payload)
                json += "{\"remote\":" + payload + "}"
            case .notify(let text):
                payloads.append(text)
                json += "{\"notify\":" + StoreJSON.string(.string(text)) + "}"
            }
        }
        return (json + "]", payloads)
    }

    /// The saved engine state of a scope: the checkpoint and every vehicle's snapshot.
    package func engineState(scope: String) throws -> (checkpoint: EngineCheckpointRecord?, vehicles: [String: Data]) {
        try writer.read { db in
            let checkpoint = try EngineCheckpointRecord.fetchOne(db, key: scope)
            let rows = try EngineStateRecord
                .filter(EngineStateRecord.Columns.scope == scope)
                .fetchAll(db)
            return (checkpoint, Dictionary(uniqueKeysWithValues: rows.map { ($0.vin, $0.state) }))
        }
    }

    /// Forgets a scope's saved state (a fresh replay into an existing database).
    package func resetEngineState(scope: String) throws {
        try writer.write { db in
            _ = try EngineStateRecord.filter(EngineStateRecord.Columns.scope == scope).deleteAll(db)
            _ = try EngineCheckpointRecord.deleteOne(db, key: scope)
        }
    }
}
