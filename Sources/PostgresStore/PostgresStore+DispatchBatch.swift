import Foundation
import OutcomeStore
import PostgresNIO

// The dispatcher's grouped writes: several claims, or several acceptances, in ONE
// transaction (one commit for many commands). Each item is checked and moved exactly as
// by its one-command method.
extension PostgresStore {
    /// Claims several queued commands in one transaction, each as `beginAttempt` does; a
    /// claim refused (not queued, its vehicle busy — also when another instance claimed
    /// one of its commands at the same instant: the unique index) is rolled back to its
    /// savepoint and the others go on. Per id, in order, the attempt number or why not.
    package func beginAttempts(outboxIds: [Int64], at now: Date) async throws -> [Result<Int, OutcomeStoreError>] {
        guard !outboxIds.isEmpty else { return [] }
        return try await transaction { db in
            var out: [Result<Int, OutcomeStoreError>] = []
            for id in outboxIds {
                try await db.execute("SAVEPOINT claim")
                do {
                    out.append(.success(try await Self.claim(outboxId: id, at: now, in: db)))
                    try await db.execute("RELEASE SAVEPOINT claim")
                } catch let refused as OutcomeStoreError {
                    try await db.execute("ROLLBACK TO SAVEPOINT claim")
                    out.append(.failure(refused))
                } catch let error as PSQLError where Self.isSecondInFlight(error) {
                    try await db.execute("ROLLBACK TO SAVEPOINT claim")
                    out.append(.failure(.notClaimable(id, "another command of its vehicle is in flight")))
                }
            }
            return out
        }
    }

    /// Records several acceptances in one transaction, each as `recordDispatchAccepted`
    /// does; per acceptance, in order, the moves it caused. An unknown action fails the
    /// whole call: nothing is recorded.
    package func recordDispatchAcceptances(_ accepted: [DispatchAcceptance],
                                          retry: @escaping DispatchRetryRule) async throws -> [[DispatchTransition]] {
        guard !accepted.isEmpty else { return [] }
        return try await transaction { db in
            var out: [[DispatchTransition]] = []
            for a in accepted {
                out.append(try await Self.accept(actionId: a.actionId, remoteActionId: a.remoteActionId,
                                                 httpStatus: a.httpStatus, at: a.at, retry: retry, in: db))
            }
            return out
        }
    }
}
