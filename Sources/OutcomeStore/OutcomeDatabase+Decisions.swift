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

    /// Applies a step inside a transaction the caller holds.
    package static func apply(_ step: DecisionCommit, now: Date, in db: Database) throws -> [Int64] {
        var ids: [Int64] = []
        ids.reserveCapacity(step.decisions.count)
        for decision in step.decisions {
            ids.append(try insert(decision, dispatch: step.dispatch, now: now, in: db))
        }
        for (vin, state) in step.vehicleStates {
            try EngineStateRecord(scope: step.scope, vin: vin, state: state, updatedAt: now).upsert(db)
        }
        if let checkpoint = step.checkpoint {
            try EngineCheckpointRecord(scope: step.scope, position: checkpoint.position, at: checkpoint.at,
                                       state: checkpoint.state, updatedAt: now).upsert(db)
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
        let actionsJSON = StoreJSON.string(.array(decision.actions.map(\.jsonValue)))
        var firing = FiringRecord(at: decision.at, vin: decision.vin, bundle: decision.bundle,
                                  rule: decision.rule, event: decision.event.rawValue,
                                  reason: decision.reason, actions: actionsJSON,
                                  inboxId: decision.inboxId, recordedAt: now)
        try firing.insert(db)
        let firingId = firing.id!
        guard decision.event == .fired else { return firingId }
        for (position, action) in decision.actions.enumerated() {
            let status: ActionStatus
            switch (action, dispatch) {
            case (.notify, _): status = .notified
            case (.remote, .enqueue): status = .queued
            case (.remote, .recordOnly): status = .notSent
            }
            var row = ActionRecord(firingId: firingId, position: position, kind: action.kind,
                                   vin: decision.vin, payload: action.payload, status: status,
                                   createdAt: now, updatedAt: now)
            try row.insert(db)
            if case .notify = action, dispatch == .enqueue, let request = decision.notifications[position] {
                _ = try insertDeliveries(request, firingId: firingId, actionId: row.id, at: now, in: db)
            }
            if status == .queued {
                var item = OutboxRecord(actionId: row.id!, vin: decision.vin, body: row.payload,
                                        createdAt: now, updatedAt: now)
                try item.insert(db)
            }
        }
        return firingId
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
