import Foundation
import OutcomeStore
import PostgresNIO

extension PostgresStore {
    @discardableResult
    package func commit(_ step: DecisionCommit, now: Date) async throws -> [Int64] {
        try await transaction { db in
            try await Self.fence(vins: step.decisions.map(\.vin) + step.vehicleStates.keys, in: db)
            return try await Self.apply(step, now: now, in: db)
        }
    }

    /// Applies a step inside the caller's transaction.
    static func apply(_ step: DecisionCommit, now: Date, in db: PGConnection) async throws -> [Int64] {
        var ids: [Int64] = []
        for decision in step.decisions {
            ids.append(try await insert(decision, dispatch: step.dispatch, now: now, in: db))
        }
        for (vin, state) in step.vehicleStates.sorted(by: { $0.key < $1.key }) {
            try await db.execute("""
                INSERT INTO engine_state (scope, vin, state, updated_at) VALUES (\(step.scope), \(vin), \(state), \(now))
                ON CONFLICT (scope, vin) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
                """)
        }
        if let checkpoint = step.checkpoint {
            try await db.execute("""
                INSERT INTO engine_checkpoint (scope, position, at, state, updated_at)
                VALUES (\(step.scope), \(checkpoint.position), \(checkpoint.at), \(checkpoint.state), \(now))
                ON CONFLICT (scope) DO UPDATE SET position = EXCLUDED.position, at = EXCLUDED.at,
                    state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
                """)
        }
        try await markProcessed(step.processedInboxIds, at: now, in: db)
        return ids
    }

    /// One decision, its actions and, with `.enqueue`, one outbox row per remote action.
    static func insert(_ decision: DecisionRecord, dispatch: DecisionCommit.Dispatch, now: Date,
                       in db: PGConnection) async throws -> Int64 {
        let actionsJSON = StoreJSON.string(.array(decision.actions.map(\.jsonValue)))
        guard let firingId = try await db.value("""
            INSERT INTO firing (at, vin, bundle, rule, event, reason, actions, inbox_id, recorded_at)
            VALUES (\(decision.at), \(decision.vin), \(decision.bundle), \(decision.rule), \(decision.event.rawValue),
                    \(decision.reason), \(actionsJSON), \(decision.inboxId), \(now))
            RETURNING id
            """, as: Int64.self) else { throw PostgresStoreError.corrupt("no firing id returned") }
        guard decision.event == .fired else { return firingId }
        for (position, action) in decision.actions.enumerated() {
            let status: ActionStatus
            switch (action, dispatch) {
            case (.notify, _): status = .notified
            case (.remote, .enqueue): status = .queued
            case (.remote, .recordOnly): status = .notSent
            }
            let payload = action.payload
            guard let actionId = try await db.value("""
                INSERT INTO action (firing_id, position, kind, vin, payload, status, created_at, updated_at)
                VALUES (\(firingId), \(position), \(action.kind), \(decision.vin), \(payload), \(status.rawValue),
                        \(now), \(now))
                RETURNING id
                """, as: Int64.self) else { throw PostgresStoreError.corrupt("no action id returned") }
            if case .notify = action, dispatch == .enqueue, let request = decision.notifications[position] {
                _ = try await insertDeliveries(request, firingId: firingId, actionId: actionId, at: now, in: db)
            }
            if status == .queued {
                try await db.execute("""
                    INSERT INTO outbox (action_id, vin, body, status, created_at, updated_at, partition)
                    VALUES (\(actionId), \(decision.vin), \(payload), 'queued', \(now), \(now), \(db.partition(ofVIN: decision.vin)))
                    """)
            }
        }
        return firingId
    }

    package func engineState(scope: String) async throws -> (checkpoint: EngineCheckpointRecord?, vehicles: [String: Data]) {
        try await withConnection { db in
            var checkpoint: EngineCheckpointRecord?
            if let row = try await db.rows("""
                SELECT position, at, state, updated_at FROM engine_checkpoint WHERE scope = \(scope)
                """).first {
                let (position, at, state, updatedAt) = try row.decode((Int64, Date?, Data?, Date).self)
                checkpoint = EngineCheckpointRecord(scope: scope, position: position, at: at, state: state, updatedAt: updatedAt)
            }
            var vehicles: [String: Data] = [:]
            for row in try await db.rows("SELECT vin, state FROM engine_state WHERE scope = \(scope)") {
                let (vin, state) = try row.decode((String, Data).self)
                vehicles[vin] = state
            }
            return (checkpoint, vehicles)
        }
    }

    package func resetEngineState(scope: String) async throws {
        try await transaction { db in
            try await db.execute("DELETE FROM engine_state WHERE scope = \(scope)")
            try await db.execute("DELETE FROM engine_checkpoint WHERE scope = \(scope)")
        }
    }

    // MARK: Log queries

    package func loggedDecisions(_ filter: LogFilter) async throws -> [LoggedDecision] {
        try await withConnection { db in
            var sql = "SELECT id, at, vin, bundle, rule, event, reason, actions, inbox_id, recorded_at FROM firing WHERE true"
            var binds = PostgresBindings()
            func add(_ condition: String, _ value: some PostgresDynamicTypeEncodable) {
                binds.append(value)
                sql += " AND \(condition) $\(binds.count)"
            }
            if let vin = filter.vin { add("vin =", vin) }
            if let rule = filter.rule { add("rule =", rule) }
            if let bundle = filter.bundle { add("bundle =", bundle) }
            if let since = filter.since { add("at >=", since) }
            if let until = filter.until { add("at <", until) }
            if let limit = filter.limit {
                sql = "SELECT * FROM (\(sql) ORDER BY at DESC, id DESC LIMIT \(max(0, limit))) newest"
            }
            sql += " ORDER BY at, id"
            let firings = try await db.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map { row in
                let (id, at, vin, bundle, rule, event, reason, actions, inboxId, recordedAt) =
                    try row.decode((Int64, Date, String, String, String, String, String?, String, Int64?, Date).self)
                return FiringRecord(id: id, at: at, vin: vin, bundle: bundle, rule: rule, event: event, reason: reason,
                                    actions: actions, inboxId: inboxId, recordedAt: recordedAt)
            }
            guard !firings.isEmpty else { return [] }
            var actions: [Int64: [ActionRecord]] = [:]
            let ids = firings.compactMap(\.id)
            for row in try await db.rows("""
                SELECT \(unescaped: Self.actionColumns) FROM action WHERE firing_id = ANY(\(ids)) ORDER BY firing_id, position
                """) {
                let action = try Self.actionRecord(row)
                actions[action.firingId, default: []].append(action)
            }
            return firings.map { LoggedDecision(firing: $0, actionRecords: actions[$0.id ?? 0] ?? []) }
        }
    }

    static let actionColumns = """
        id, firing_id, position, kind, vin, payload, status, attempts, remote_action_id, failure_cause, created_at, \
        updated_at, sent_at, done_at
        """

    static func actionRecord(_ row: PostgresRow) throws -> ActionRecord {
        let (id, firingId, position, kind, vin, payload, status, attempts, remoteId, cause, created, updated, sent, done) =
            try row.decode((Int64, Int64, Int, String, String, String, String, Int, String?, String?, Date, Date, Date?,
                            Date?).self)
        var record = ActionRecord(id: id, firingId: firingId, position: position, kind: kind, vin: vin, payload: payload,
                                  status: .queued, attempts: attempts, remoteActionId: remoteId, failureCause: cause,
                                  createdAt: created, updatedAt: updated, sentAt: sent, doneAt: done)
        record.status = status
        return record
    }

    package func decisionCount() async throws -> Int {
        try await withConnection { db in try await db.value("SELECT count(*) FROM firing", as: Int.self) ?? 0 }
    }

    package func runtimeQueueDepths() async throws -> (inboxUnprocessed: Int, outboxQueued: Int, outboxInFlight: Int) {
        try await withConnection { db in
            guard let row = try await db.rows("""
                SELECT (SELECT count(*) FROM inbox WHERE NOT processed),
                       (SELECT count(*) FROM outbox WHERE status = 'queued'),
                       (SELECT count(*) FROM outbox WHERE status = 'inFlight')
                """).first else { return (0, 0, 0) }
            let (inbox, queued, flying) = try row.decode((Int, Int, Int).self)
            return (inbox, queued, flying)
        }
    }
}
