import Foundation
import GRDB

/// One step of the live engine loop, committed in ONE transaction: the decisions with
/// their actions and outbox rows (`commit`), the cancellations `mode: restart` implies,
/// the remote progress notifications consumed, the engine's state, the checkpoint and
/// the processed inbox ids.
package struct DispatchStep: Sendable {
    package var commit: DecisionCommit
    /// Parallel to `commit.decisions`: the decision cancels what is left of the previous
    /// firings of its rule and vehicle (`Decision.cancelsRunning`).
    package var cancelsRunning: [Bool]
    package var remoteEvents: [DispatchRemoteEvent]

    package init(commit: DecisionCommit, cancelsRunning: [Bool] = [], remoteEvents: [DispatchRemoteEvent] = []) {
        self.commit = commit
        self.cancelsRunning = cancelsRunning
        self.remoteEvents = remoteEvents
    }
}

/// What a `DispatchStep` did besides inserting its decisions.
package struct DispatchStepResult: Sendable {
    package var firingIds: [Int64] = []
    /// Actions moved by cancellations and remote events.
    package var transitions: [DispatchTransition] = []
    /// Remote events whose command is not known yet (kept, applied when it is).
    package var unmatchedEvents = 0

    package init() {}
}

extension OutcomeDatabase {
    package func commitDispatchStep(_ step: DispatchStep, at now: Date, retry: DispatchRetryRule) throws -> DispatchStepResult {
        try writer.write { db in try Self.commitDispatchStep(step, at: now, retry: retry, in: db) }
    }

    /// The engine's commit, on GRDB's writer queue: the calling task is suspended while
    /// it waits for the writer and `fdatasync`, so no cooperative thread is held. It
    /// shares its transaction with the other writes queued meanwhile (`WriteCoordinator`),
    /// still all of the step or nothing: it runs in a savepoint of its own.
    package func commitDispatchStep(_ step: DispatchStep, at now: Date,
                                    retry: @escaping DispatchRetryRule) async throws -> DispatchStepResult {
        try await coordinator.write { db in try Self.commitDispatchStep(step, at: now, retry: retry, in: db) }
    }

    static func commitDispatchStep(_ step: DispatchStep, at now: Date, retry: DispatchRetryRule,
                                   in db: Database) throws -> DispatchStepResult {
        var result = DispatchStepResult()
        for (i, decision) in step.commit.decisions.enumerated() {
            if i < step.cancelsRunning.count, step.cancelsRunning[i] {
                result.transitions += try Self.cancelRunning(vin: decision.vin, bundle: decision.bundle,
                                                             rule: decision.rule, at: now, in: db)
            }
            result.firingIds.append(try Self.insert(decision, dispatch: step.commit.dispatch, now: now, in: db))
        }
        for event in step.remoteEvents {
            if let t = try Self.applyRemoteEvent(event, eventId: nil, at: now, retry: retry, in: db) {
                result.transitions.append(t)
            } else if try Self.isUnapplied(event.remoteActionId, in: db) {
                result.unmatchedEvents += 1
            }
        }
        var rest = step.commit
        rest.decisions = []
        _ = try Self.apply(rest, now: now, in: db)
        return result
    }

    /// `mode: restart`: the queued actions of earlier firings of the rule on the vehicle
    /// are skipped (a command already sent runs to its end).
    static func cancelRunning(vin: String, bundle: String, rule: String, at now: Date,
                              in db: Database) throws -> [DispatchTransition] {
        let ids = try Int64.fetchAll(db, sql: """
            SELECT a.id FROM action a JOIN firing f ON f.id = a.firingId
            WHERE f.vin = ? AND f.bundle = ? AND f.rule = ? AND f.event = 'fired' AND a.status = 'queued'
            ORDER BY a.id
            """, arguments: [vin, bundle, rule])
        return try ids.map {
            try finishDispatch(actionId: $0, status: .skipped, failureCause: "cancelled",
                               detail: "cancelled by a new firing of a mode: restart rule", at: now, in: db)
        }
    }

    private static func isUnapplied(_ remoteActionId: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT appliedAt IS NULL FROM remoteEvent WHERE remoteActionId = ? ORDER BY id DESC LIMIT 1
            """, arguments: [remoteActionId]) ?? false
    }

    /// Stores a remote event (when `eventId` is nil) and applies it to the action that
    /// has its `remoteActionId`, if one does yet. Returns the action's move, if any.
    static func applyRemoteEvent(_ event: DispatchRemoteEvent, eventId: Int64?, at now: Date,
                                 retry: DispatchRetryRule, in db: Database) throws -> DispatchTransition? {
        var id = eventId
        if id == nil {
            try db.execute(sql: """
                INSERT INTO remoteEvent (remoteActionId, type, status, failureCause, eventDate, inboxId, receivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [event.remoteActionId, event.type, event.status, event.failureCause, event.eventDate,
                                 event.inboxId, now])
            id = db.lastInsertedRowID
        }
        guard var action = try ActionRecord.filter(ActionRecord.Columns.remoteActionId == event.remoteActionId)
            .order(ActionRecord.Columns.id.desc).fetchOne(db) else { return nil }
        try db.execute(sql: "UPDATE remoteEvent SET appliedAt = ? WHERE id = ?", arguments: [now, id])
        guard let status = action.actionStatus, !status.isFinal, status != .queued else { return nil }
        let isDone = event.type == "Done" || ["Success", "AlreadyDone", "Failed"].contains(event.status)
        guard isDone else {
            guard status == .sent else { return nil }
            action.status = ActionStatus.pending.rawValue
            action.updatedAt = now
            try action.update(db)
            return try transition(action, .pending, failureCause: nil, retryAt: nil, completed: nil, in: db)
        }
        switch event.status {
        case "Success":
            return try finishDispatch(actionId: action.id!, status: .succeeded, failureCause: nil, detail: nil, at: now, in: db)
        case "AlreadyDone":
            return try finishDispatch(actionId: action.id!, status: .alreadyDone, failureCause: nil, detail: nil, at: now, in: db)
        default:
            let cause = event.failureCause ?? event.status
            if let retryAt = retry(cause, action.attempts) {
                try closeDispatchAttempt(actionId: action.id!, outcome: "failed", httpStatus: nil, remoteActionId: nil,
                                         failureCause: cause, detail: "retry at \(Timestamp.format(retryAt))", at: now, in: db)
                action.status = ActionStatus.queued.rawValue
                action.updatedAt = now
                try action.update(db)
                try setDispatchOutbox(actionId: action.id!, status: .queued, notBefore: retryAt, at: now, in: db)
                return try transition(action, .queued, failureCause: cause, retryAt: retryAt, completed: nil, in: db)
            }
            return try finishDispatch(actionId: action.id!, status: .failed, failureCause: cause, detail: nil, at: now, in: db)
        }
    }
}
