import Foundation
import GRDB

// The dispatcher's grouped writes: several claims, or several acceptances, in ONE
// transaction — one fsync for many commands instead of one each (BENCHMARKS.md, "Serve
// latency"), shared with the other writes queued meanwhile (`WriteCoordinator`: each call
// in a savepoint of its own). Each item is checked and moved exactly as by its
// one-command method.
extension OutcomeDatabase {
    /// Claims several queued commands in one transaction, each as `beginAttempt` does;
    /// per id, in order, its attempt number or why it was not claimed.
    package func beginAttempts(outboxIds: [Int64], at now: Date) async throws -> [Result<Int, OutcomeStoreError>] {
        guard !outboxIds.isEmpty else { return [] }
        return try await coordinator.write { db in
            try outboxIds.map { id -> Result<Int, OutcomeStoreError> in
                do {
                    return .success(try Self.claim(outboxId: id, at: now, in: db))
                } catch let refused as OutcomeStoreError {
                    return .failure(refused)   // thrown before `claim` wrote anything
                }
            }
        }
    }

    /// Records several acceptances in one transaction, each as `recordDispatchAccepted`
    /// does; per acceptance, in order, the moves it caused. An unknown action fails the
    /// whole call: nothing is recorded.
    package func recordDispatchAcceptances(_ accepted: [DispatchAcceptance],
                                          retry: @escaping DispatchRetryRule) async throws -> [[DispatchTransition]] {
        guard !accepted.isEmpty else { return [] }
        return try await coordinator.write { db in
            try accepted.map {
                try Self.accept(actionId: $0.actionId, remoteActionId: $0.remoteActionId, httpStatus: $0.httpStatus,
                                at: $0.at, retry: retry, in: db)
            }
        }
    }
}
