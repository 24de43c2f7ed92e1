import Foundation
import GRDB

// The live dispatcher's queries and state changes (vigie serve). Each change is one
// transaction and, when it finishes the last unfinished action of a decision, says so
// (`DispatchTransition.completed`) so the engine can be told.
extension OutcomeDatabase {
    static let dispatchSelect = """
        SELECT o.id AS outboxId, o.actionId, a.firingId, o.vin, f.bundle, f.rule, o.body, f.at AS decidedAt,
               a.status, a.attempts, a.remoteActionId, a.sentAt,
               (SELECT t.startedAt FROM actionAttempt t WHERE t.actionId = a.id ORDER BY t.attempt DESC LIMIT 1)
                 AS attemptStartedAt
        FROM outbox o JOIN action a ON a.id = o.actionId JOIN firing f ON f.id = a.firingId
        """

    static func dispatchItem(_ row: Row) -> DispatchItem {
        DispatchItem(outboxId: row["outboxId"], actionId: row["actionId"], firingId: row["firingId"], vin: row["vin"],
                     bundle: row["bundle"], rule: row["rule"], body: row["body"], decidedAt: row["decidedAt"],
                     status: ActionStatus(rawValue: row["status"]), attempts: row["attempts"],
                     remoteActionId: row["remoteActionId"], sentAt: row["sentAt"], attemptStartedAt: row["attemptStartedAt"])
    }

    /// For every vehicle with nothing in flight, its oldest queued command, with the
    /// decision it belongs to; `notBefore` in the future keeps the vehicle waiting (its
    /// commands stay in order).
    package func nextDispatchItems(at now: Date, limit: Int = 100) throws -> [DispatchItem] {
        try writer.read { db in
            // Cached (compiling this join at every dispatcher round showed in profiles).
            try Row.fetchAll(db.cachedStatement(sql: Self.dispatchSelect + """

                WHERE o.status = 'queued' AND (o.notBefore IS NULL OR o.notBefore <= ?)
                  AND o.id = (SELECT MIN(q.id) FROM outbox q WHERE q.vin = o.vin AND q.status = 'queued')
                  AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.vin = o.vin AND x.status = 'inFlight')
                ORDER BY o.id LIMIT ?
                """), arguments: [StoredDate.value(now), limit]).map(Self.dispatchItem)
        }
    }

    /// Every command in flight (being POSTed, or sent and waiting for its `Done`).
    package func inFlightDispatchItems() throws -> [DispatchItem] {
        try writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: Self.dispatchSelect + "\nWHERE o.status = 'inFlight' ORDER BY o.id"))
                .map(Self.dispatchItem)
        }
    }

    /// Remote commands of `vin` that went out (accepted by the API) in `[from, to)`, and
    /// how many of them were wake-ups (an explicit `wakeUp`, or a command whose progress
    /// reported `WakingUpVehicle`). Commands being POSTed now count too.
    package func commandsSent(vin: String, from: Date, to: Date) throws -> (commands: Int, wakeUps: Int) {
        try writer.read { db in
            let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT COUNT(*) AS commands,
                       COALESCE(SUM(CASE WHEN a.payload LIKE '{"wakeUp"%' OR EXISTS (
                           SELECT 1 FROM remoteEvent e WHERE e.remoteActionId = a.remoteActionId
                             AND e.status = 'WakingUpVehicle') THEN 1 ELSE 0 END), 0) AS wakeUps
                FROM action a
                WHERE a.vin = ? AND a.kind = 'remote'
                  AND ((a.sentAt >= ? AND a.sentAt < ?) OR a.status = 'sending')
                """), arguments: [vin, StoredDate.value(from), StoredDate.value(to)])
            return (row?["commands"] ?? 0, row?["wakeUps"] ?? 0)
        }
    }

    /// Per rule and vehicle, the fired decisions that still have an unfinished action
    /// (the engine's `running` count after a restart).
    package func unfinishedFirings() throws -> [FiringKey: Int] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.vin, f.bundle, f.rule, COUNT(DISTINCT f.id) AS n FROM firing f JOIN action a ON a.firingId = f.id
                WHERE f.event = 'fired' AND a.status IN ('queued', 'sending', 'sent', 'pending')
                GROUP BY f.vin, f.bundle, f.rule
                """)
            var out: [FiringKey: Int] = [:]
            for row in rows { out[FiringKey(vin: row["vin"], bundle: row["bundle"], rule: row["rule"])] = row["n"] }
            return out
        }
    }

    /// Inbox rows not processed, outbox rows queued and in flight.
    package func runtimeQueueDepths() throws -> (inboxUnprocessed: Int, outboxQueued: Int, outboxInFlight: Int) {
        try writer.read { db in
            let inbox = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inbox WHERE processed = 0") ?? 0
            let queued = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE status = 'queued'") ?? 0
            let flying = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE status = 'inFlight'") ?? 0
            return (inbox, queued, flying)
        }
    }

    /// The API accepted a command (or reconciliation found it): remember its id, then
    /// apply the progress notifications that arrived for it before this was recorded.
    package func recordDispatchAccepted(actionId: Int64, remoteActionId: String, httpStatus: Int?, at now: Date,
                                       retry: DispatchRetryRule) throws -> [DispatchTransition] {
        try writer.write { db in
            try Self.accept(actionId: actionId, remoteActionId: remoteActionId, httpStatus: httpStatus, at: now,
                            retry: retry, in: db)
        }
    }

    /// `recordDispatchAccepted` inside the caller's transaction (it throws before writing
    /// anything when the action is unknown).
    static func accept(actionId: Int64, remoteActionId: String, httpStatus: Int?, at now: Date,
                       retry: DispatchRetryRule, in db: Database) throws -> [DispatchTransition] {
        // Cached statements: this runs for every command the API accepts.
        try db.cachedStatement(sql: """
            UPDATE action SET status = 'sent', remoteActionId = ?, sentAt = ?, updatedAt = ? WHERE id = ?
            """).execute(arguments: [remoteActionId, StoredDate.value(now), StoredDate.value(now), actionId])
        guard db.changesCount == 1 else { throw OutcomeStoreError.unknownAction(actionId) }
        try Self.closeDispatchAttempt(actionId: actionId, outcome: "accepted", httpStatus: httpStatus,
                                      remoteActionId: remoteActionId, failureCause: nil, detail: nil, at: now, in: db)
        let events = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, type, status, failureCause FROM remoteEvent
            WHERE remoteActionId = ? AND appliedAt IS NULL ORDER BY id
            """), arguments: [remoteActionId])
        var out: [DispatchTransition] = []
        for row in events {
            let event = DispatchRemoteEvent(remoteActionId: remoteActionId, type: row["type"], status: row["status"],
                                            failureCause: row["failureCause"])
            if let t = try Self.applyRemoteEvent(event, eventId: row["id"], at: now, retry: retry, in: db) { out.append(t) }
        }
        return out
    }

    /// Ends a command in a final state (`failed`, `timedOut`, `skipped`, `succeeded`…);
    /// `httpStatus`: the answer that ended it, when the API refused the POST.
    package func finishDispatch(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String? = nil,
                               httpStatus: Int? = nil, at now: Date) throws -> DispatchTransition {
        try writer.write { db in
            try Self.finishDispatch(actionId: actionId, status: status, failureCause: failureCause, detail: detail,
                                    httpStatus: httpStatus, at: now, in: db)
        }
    }

    /// The POST did not go through and may be tried again at `retryAt` (the API did not
    /// act: a 429, a 5xx or a network error that reconciliation showed harmless).
    package func requeueDispatch(actionId: Int64, httpStatus: Int?, detail: String, retryAt: Date, at now: Date) throws {
        try writer.write { db in
            var action = try Self.dispatchAction(actionId, in: db)
            try Self.closeDispatchAttempt(actionId: actionId, outcome: "retry", httpStatus: httpStatus, remoteActionId: nil,
                                          failureCause: nil, detail: detail, at: now, in: db)
            action.status = ActionStatus.queued.rawValue
            action.updatedAt = now
            try action.update(db)
            try Self.setDispatchOutbox(actionId: actionId, status: .queued, notBefore: retryAt, at: now, in: db)
        }
    }

    static func dispatchAction(_ id: Int64, in db: Database) throws -> ActionRecord {
        guard let action = try ActionRecord.fetchOne(db, key: id) else { throw OutcomeStoreError.unknownAction(id) }
        return action
    }

    /// A transition of `action`, named by its decision's bundle and rule.
    static func transition(_ action: ActionRecord, _ status: ActionStatus, failureCause: String?, retryAt: Date?,
                           completed: FiringKey?, in db: Database) throws -> DispatchTransition {
        var transition = DispatchTransition(actionId: action.id!, vin: action.vin, status: status, failureCause: failureCause,
                                            retryAt: retryAt, completed: completed)
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT bundle, rule FROM firing WHERE id = ?"),
                                      arguments: [action.firingId]) {
            transition.bundle = row["bundle"]
            transition.rule = row["rule"]
        }
        return transition
    }

    static func finishDispatch(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String?,
                               httpStatus: Int? = nil, at now: Date, in db: Database) throws -> DispatchTransition {
        var action = try dispatchAction(actionId, in: db)
        action.status = status.rawValue
        action.failureCause = failureCause
        action.doneAt = now
        action.updatedAt = now
        try action.update(db)
        try closeDispatchAttempt(actionId: actionId, outcome: status.rawValue, httpStatus: httpStatus, remoteActionId: nil,
                                 failureCause: failureCause, detail: detail, at: now, in: db)
        try setDispatchOutbox(actionId: actionId, status: .done, notBefore: nil, at: now, in: db)
        return try transition(action, status, failureCause: failureCause, retryAt: nil,
                              completed: try completedFiring(action.firingId, in: db), in: db)
    }

    /// The decision's key when none of its actions is unfinished any more.
    static func completedFiring(_ firingId: Int64, in db: Database) throws -> FiringKey? {
        let open = try Int.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) FROM action WHERE firingId = ? AND status IN ('queued', 'sending', 'sent', 'pending')
            """), arguments: [firingId]) ?? 0
        guard open == 0, let firing = try FiringRecord.fetchOne(db, key: firingId) else { return nil }
        return FiringKey(vin: firing.vin, bundle: firing.bundle, rule: firing.rule)
    }

    static func setDispatchOutbox(actionId: Int64, status: OutboxRecord.Status, notBefore: Date?, at now: Date,
                                  in db: Database) throws {
        _ = try OutboxRecord.filter(OutboxRecord.Columns.actionId == actionId).updateAll(
            db, OutboxRecord.Columns.status.set(to: status.rawValue),
            OutboxRecord.Columns.notBefore.set(to: notBefore), OutboxRecord.Columns.updatedAt.set(to: now))
    }

    /// Closes the latest attempt of an action (if it is still open, or to add detail).
    static func closeDispatchAttempt(actionId: Int64, outcome: String, httpStatus: Int?, remoteActionId: String?,
                                     failureCause: String?, detail: String?, at now: Date, in db: Database) throws {
        // The action's last attempt; a nil argument keeps what the attempt holds.
        try db.cachedStatement(sql: """
            UPDATE actionAttempt
            SET outcome = ?, finishedAt = ?, httpStatus = COALESCE(?, httpStatus),
                remoteActionId = COALESCE(?, remoteActionId), failureCause = COALESCE(?, failureCause),
                detail = COALESCE(?, detail)
            WHERE id = (SELECT id FROM actionAttempt WHERE actionId = ? ORDER BY attempt DESC LIMIT 1)
            """).execute(arguments: [outcome, StoredDate.value(now), httpStatus, remoteActionId, failureCause, detail,
                                     actionId])
    }
}

extension OutcomeDatabase {
    /// Every `remoteActionId` Vigie has recorded for `vin` (current and earlier attempts):
    /// a listed remote that is not among them was not recorded yet.
    package func knownRemoteActionIds(vin: String) throws -> Set<String> {
        try writer.read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT remoteActionId FROM action WHERE vin = ? AND remoteActionId IS NOT NULL
                UNION SELECT t.remoteActionId FROM actionAttempt t JOIN action a ON a.id = t.actionId
                WHERE a.vin = ? AND t.remoteActionId IS NOT NULL
                """, arguments: [vin, vin]))
        }
    }
}
