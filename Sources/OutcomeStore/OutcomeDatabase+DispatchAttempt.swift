import Foundation
import GRDB

// The dispatcher's attempts: one opened before each POST of a command (the other
// moves of a command are in `OutcomeDatabase+DispatchQueue.swift`).
extension OutcomeDatabase {
    /// Marks an outbox item in flight and opens a new attempt for its action; returns
    /// the attempt number (1 for the first). Call it before the POST.
    public func beginAttempt(outboxId: Int64, at now: Date = Date()) throws -> Int {
        try writer.write { db in
            guard var item = try OutboxRecord.fetchOne(db, key: outboxId) else {
                throw OutcomeStoreError.unknownOutboxItem(outboxId)
            }
            var action = try Self.dispatchAction(item.actionId, in: db)
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

    /// Every attempt at an action, in order.
    public func attempts(actionId: Int64) throws -> [ActionAttemptRecord] {
        try writer.read { db in
            try ActionAttemptRecord.filter(ActionAttemptRecord.Columns.actionId == actionId)
                .order(ActionAttemptRecord.Columns.attempt).fetchAll(db)
        }
    }
}
