import Foundation
import GRDB

// The dispatcher's attempts: one opened before each POST of a command (the other
// moves of a command are in `OutcomeDatabase+DispatchQueue.swift`).
extension OutcomeDatabase {
    /// Claims an outbox item — marks it in flight — and opens a new attempt for its
    /// action; returns the attempt number (1 for the first). Call it before the POST.
    ///
    /// The claim is conditional: an item that is not `queued` any more (another path or
    /// process claimed or finished it since it was read), or whose vehicle has another
    /// command in flight, throws `notClaimable`, so no code path can POST a command twice
    /// or two commands to one vehicle at once.
    package func beginAttempt(outboxId: Int64, at now: Date = Date()) throws -> Int {
        try writer.write { db in try Self.claim(outboxId: outboxId, at: now, in: db) }
    }

    /// `beginAttempt` inside the caller's transaction: it throws before writing anything
    /// when the item cannot be claimed, so a caller may go on with other claims.
    static func claim(outboxId: Int64, at now: Date, in db: Database) throws -> Int {
        guard var item = try OutboxRecord.fetchOne(db, key: outboxId) else {
            throw OutcomeStoreError.unknownOutboxItem(outboxId)
        }
        guard item.status == .queued else {
            throw OutcomeStoreError.notClaimable(outboxId, "it is \(item.status.rawValue), not queued")
        }
        let busy = try OutboxRecord.filter(OutboxRecord.Columns.vin == item.vin
                                           && OutboxRecord.Columns.status == OutboxRecord.Status.inFlight.rawValue)
            .fetchCount(db)
        guard busy == 0 else {
            throw OutcomeStoreError.notClaimable(outboxId, "another command of \(item.vin) is in flight")
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

    /// Every attempt at an action, in order.
    package func attempts(actionId: Int64) throws -> [ActionAttemptRecord] {
        try writer.read { db in
            try ActionAttemptRecord.filter(ActionAttemptRecord.Columns.actionId == actionId)
                .order(ActionAttemptRecord.Columns.attempt).fetchAll(db)
        }
    }
}
