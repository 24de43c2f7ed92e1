import Foundation
import GRDB

// The dispatcher's side of the store: take the next command of each vehicle (one at
// a time per vehicle), record each attempt, follow Pending/Done notifications.
extension OutcomeDatabase {
    /// For every vehicle with nothing in flight, its oldest queued command that may be
    /// sent at `now`, in outbox order.
    public func readyOutboxItems(at now: Date = Date(), limit: Int = 100) throws -> [OutboxRecord] {
        try writer.read { db in
            try OutboxRecord.fetchAll(db, sql: """
                SELECT o.* FROM outbox o
                WHERE o.status = 'queued' AND (o.notBefore IS NULL OR o.notBefore <= ?)
                  AND o.id = (SELECT MIN(q.id) FROM outbox q WHERE q.vin = o.vin AND q.status = 'queued')
                  AND NOT EXISTS (SELECT 1 FROM outbox f WHERE f.vin = o.vin AND f.status = 'inFlight')
                ORDER BY o.id LIMIT ?
                """, arguments: [now, limit])
        }
    }

    /// Marks an outbox item in flight and opens a new attempt for its action; returns
    /// the attempt number (1 for the first). Call it before the POST.
    public func beginAttempt(outboxId: Int64, at now: Date = Date()) throws -> Int {
        try writer.write { db in
            guard var item = try OutboxRecord.fetchOne(db, key: outboxId) else {
                throw OutcomeStoreError.unknownOutboxItem(outboxId)
            }
            guard var action = try ActionRecord.fetchOne(db, key: item.actionId) else {
                throw OutcomeStoreError.unknownAction(item.actionId)
            }
            item.status = .inFlight
            item.updatedAt = now
            try item.update(db)
            action.attempts += 1
            action.status = ActionStatus.sending.rawValue
            action.updatedAt = now
            try action.update(db)
            var attempt = ActionAttemptRecord(actionId: item.actionId, attempt: action.attempts,
                                              startedAt: now, outcome: "sending")
            try attempt.insert(db)
            return action.attempts
        }
    }

    /// The API accepted the POST: remember its `remoteActionId`; the vehicle stays busy
    /// until a `Done` notification (or `finishAction`).
    public func recordAccepted(actionId: Int64, remoteActionId: String, httpStatus: Int = 200,
                               at now: Date = Date()) throws {
        try writer.write { db in
            var action = try Self.action(actionId, in: db)
            action.status = ActionStatus.sent.rawValue
            action.remoteActionId = remoteActionId
            action.sentAt = now
            action.updatedAt = now
            try action.update(db)
            try Self.closeAttempt(of: action, outcome: "accepted", httpStatus: httpStatus,
                                  remoteActionId: remoteActionId, failureCause: nil, detail: nil, at: now, in: db)
        }
    }

    /// The POST failed (HTTP error, 429, network). With `retryAt`, the command goes back
    /// to the queue, not before that instant; without, the action has failed for good.
    public func recordAttemptFailed(actionId: Int64, httpStatus: Int?, detail: String,
                                    retryAt: Date?, at now: Date = Date()) throws {
        try writer.write { db in
            var action = try Self.action(actionId, in: db)
            try Self.closeAttempt(of: action, outcome: "error", httpStatus: httpStatus, remoteActionId: nil,
                                  failureCause: nil, detail: detail, at: now, in: db)
            if let retryAt {
                action.status = ActionStatus.queued.rawValue
                action.updatedAt = now
                try action.update(db)
                try Self.setOutbox(of: actionId, status: .queued, notBefore: retryAt, at: now, in: db)
            } else {
                action.status = ActionStatus.failed.rawValue
                action.failureCause = detail
                action.updatedAt = now
                action.doneAt = now
                try action.update(db)
                try Self.setOutbox(of: actionId, status: .done, notBefore: nil, at: now, in: db)
            }
        }
    }

    /// Applies a remote notification (`remoteEvent`) to the action it concerns.
    /// Returns the updated action, or nil when no action has that `remoteActionId`.
    @discardableResult
    public func recordRemoteEvent(remoteActionId: String, type: String, status: String,
                                  failureCause: String?, at now: Date = Date()) throws -> ActionRecord? {
        try writer.write { db in
            guard var action = try ActionRecord
                .filter(ActionRecord.Columns.remoteActionId == remoteActionId)
                .order(ActionRecord.Columns.id.desc).fetchOne(db) else { return nil }
            guard type == "Done" else {
                if action.actionStatus == .sent {
                    action.status = ActionStatus.pending.rawValue
                    action.updatedAt = now
                    try action.update(db)
                }
                return action
            }
            let final: ActionStatus = status == "Success" ? .succeeded : status == "AlreadyDone" ? .alreadyDone : .failed
            try Self.finish(&action, status: final, failureCause: final == .failed ? (failureCause ?? status) : nil,
                            at: now, in: db)
            return action
        }
    }

    /// Ends an action in any final state (`timedOut`, `skipped`, `failed`…) and frees
    /// its vehicle's queue.
    public func finishAction(actionId: Int64, status: ActionStatus, failureCause: String? = nil,
                             at now: Date = Date()) throws {
        try writer.write { db in
            var action = try Self.action(actionId, in: db)
            try Self.finish(&action, status: status, failureCause: failureCause, at: now, in: db)
        }
    }

    /// Puts a finished-with-failure action back in the queue (a failure cause worth
    /// retrying), not before `notBefore`.
    public func retryAction(actionId: Int64, notBefore: Date?, at now: Date = Date()) throws {
        try writer.write { db in
            var action = try Self.action(actionId, in: db)
            action.status = ActionStatus.queued.rawValue
            action.doneAt = nil
            action.updatedAt = now
            try action.update(db)
            try Self.setOutbox(of: actionId, status: .queued, notBefore: notBefore, at: now, in: db)
        }
    }

    /// Every attempt at an action, in order.
    public func attempts(actionId: Int64) throws -> [ActionAttemptRecord] {
        try writer.read { db in
            try ActionAttemptRecord.filter(ActionAttemptRecord.Columns.actionId == actionId)
                .order(ActionAttemptRecord.Columns.attempt).fetchAll(db)
        }
    }

    /// Commands not yet finished, per status (for metrics: queue depths).
    public func outboxCounts() throws -> [OutboxRecord.Status: Int] {
        try writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
            var counts: [OutboxRecord.Status: Int] = [:]
            for row in rows {
                if let status = OutboxRecord.Status(rawValue: row["status"]) { counts[status] = row["n"] }
            }
            return counts
        }
    }

    private static func action(_ id: Int64, in db: Database) throws -> ActionRecord {
        guard let action = try ActionRecord.fetchOne(db, key: id) else { throw OutcomeStoreError.unknownAction(id) }
        return action
    }

    private static func finish(_ action: inout ActionRecord, status: ActionStatus, failureCause: String?,
                               at now: Date, in db: Database) throws {
        action.status = status.rawValue
        action.failureCause = failureCause
        action.doneAt = now
        action.updatedAt = now
        try action.update(db)
        try closeAttempt(of: action, outcome: status.rawValue, httpStatus: nil, remoteActionId: nil,
                         failureCause: failureCause, detail: nil, at: now, in: db)
        try setOutbox(of: action.id!, status: .done, notBefore: nil, at: now, in: db)
    }

    private static func setOutbox(of actionId: Int64, status: OutboxRecord.Status, notBefore: Date?,
                                  at now: Date, in db: Database) throws {
        _ = try OutboxRecord.filter(OutboxRecord.Columns.actionId == actionId).updateAll(
            db, OutboxRecord.Columns.status.set(to: status.rawValue),
            OutboxRecord.Columns.notBefore.set(to: notBefore), OutboxRecord.Columns.updatedAt.set(to: now))
    }

    private static func closeAttempt(of action: ActionRecord, outcome: String, httpStatus: Int?,
                                     remoteActionId: String?, failureCause: String?, detail: String?,
                                     at now: Date, in db: Database) throws {
        guard var attempt = try ActionAttemptRecord
            .filter(ActionAttemptRecord.Columns.actionId == action.id!)
            .order(ActionAttemptRecord.Columns.attempt.desc).fetchOne(db) else { return }
        attempt.outcome = outcome
        attempt.finishedAt = now
        if let httpStatus { attempt.httpStatus = httpStatus }
        if let remoteActionId { attempt.remoteActionId = remoteActionId }
        if let failureCause { attempt.failureCause = failureCause }
        if let detail { attempt.detail = detail }
        try attempt.update(db)
    }
}
