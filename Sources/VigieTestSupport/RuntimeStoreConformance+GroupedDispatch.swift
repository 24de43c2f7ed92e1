import Foundation
import OutcomeStore
import VehicleData

// The grouped dispatch writes (`beginAttempts`, `recordDispatchAcceptances`): each item of
// a group is checked and moved exactly as by its one-command method, in one transaction.
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// Grouped claims: a queued command is claimed; a second command of a vehicle claimed
    /// earlier in the same call, a command not queued and an unknown id are refused and
    /// change nothing; the claims count in the budget at once; concurrent grouped claims
    /// of the same commands claim each exactly once.
    @Sendable func groupedClaims(_ store: any RuntimeStore) async throws {
        let items = try await C.queue([C.fired(1), C.fired(2), C.fired(3, vin: "V2"), C.fired(4, vin: "V3"),
                                       C.fired(5, vin: "V4"), C.fired(6, vin: "V5")], in: store)
        try expectEqual(items.map(\.vin), ["V1", "V2", "V3", "V4", "V5"], "one head per vehicle")
        let v1Second = items[0].outboxId + 1   // outbox ids follow the decisions' order
        _ = try await store.beginAttempt(outboxId: items[2].outboxId, at: C.at(9))   // V3 flies already
        let claims = try await store.beginAttempts(
            outboxIds: [items[0].outboxId, v1Second, items[1].outboxId, items[2].outboxId, 987_654], at: C.at(10))
        try expectEqual(claims.map { (try? $0.get()) ?? -1 }, [1, -1, 1, -1, -1], "attempts (-1: refused)")
        for (i, claim) in claims.enumerated() where i != 0 && i != 2 {
            guard case .failure(let error) = claim else { continue }
            if i == 4 {
                try expect(error == .unknownOutboxItem(987_654), "an unknown id: \(error)")
            } else {
                guard case .notClaimable = error else { throw Failure(check: "", message: "claim \(i): \(error)") }
            }
        }
        let flying = try await store.inFlightDispatchItems()
        try expectEqual(flying.map(\.outboxId), [items[0].outboxId, items[1].outboxId, items[2].outboxId], "in flight")
        try expectEqual(flying.map(\.status), [.sending, .sending, .sending], "claimed commands are sending")
        try expect(try await store.attempts(actionId: items[0].actionId + 1).isEmpty,
                   "a refused claim opened an attempt")
        let sent = try await store.commandsSent(vin: "V1", from: C.at(0), to: C.at(86_400))
        try expectEqual(sent.commands, 1, "the grouped claim counts in the budget")
        try expectEqual(try await store.beginAttempts(outboxIds: [], at: C.at(11)).count, 0, "an empty group")

        let contested = [items[3].outboxId, items[4].outboxId]
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await store.beginAttempts(outboxIds: contested, at: C.at(12)).filter { (try? $0.get()) != nil }.count
                }
            }
            return try await group.reduce(0, +)
        }
        try expectEqual(wins, 2, "concurrent grouped claims of two commands that succeeded")
        try expectEqual(try await store.attempts(actionId: items[3].actionId).count, 1, "V4's attempts")
    }

    /// Grouped acceptances: each command turns `sent` with its own remote id and time, a
    /// progress notification that came first is applied, and an unknown action fails the
    /// whole group (nothing recorded).
    @Sendable func groupedAcceptances(_ store: any RuntimeStore) async throws {
        let items = try await C.queue([C.fired(1), C.fired(2, vin: "V2"), C.fired(3, vin: "V3")], in: store)
        let claims = try await store.beginAttempts(outboxIds: items.map(\.outboxId), at: C.at(10))
        try expectEqual(claims.map { (try? $0.get()) ?? -1 }, [1, 1, 1], "claims")
        let early = DispatchRemoteEvent(remoteActionId: "R2", type: "Done", status: "Success")
        _ = try await store.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve"), remoteEvents: [early]),
                                               at: C.at(11), retry: C.noRetry)
        let moves = try await store.recordDispatchAcceptances([
            DispatchAcceptance(actionId: items[0].actionId, remoteActionId: "R1", httpStatus: 202, at: C.at(12)),
            DispatchAcceptance(actionId: items[1].actionId, remoteActionId: "R2", at: C.at(13)),
        ], retry: C.noRetry)
        try expectEqual(moves.map { $0.map(\.status) }, [[], [.succeeded]], "moves per acceptance")
        try expectEqual(moves[1].first?.completed, FiringKey(vin: "V2", bundle: "b", rule: "r"), "V2's decision completed")
        let flying = try await store.inFlightDispatchItems()
        try expectEqual(flying.map(\.outboxId), [items[0].outboxId, items[2].outboxId], "in flight after")
        try expectEqual(flying.map(\.status), [.sent, .sending], "statuses after")
        try expectEqual(flying[0].remoteActionId, "R1", "V1's remote id")
        try expectEqual(flying[0].sentAt, C.at(12), "V1's sentAt is its own acceptance's time")
        try expectEqual(try await store.attempts(actionId: items[0].actionId).map(\.outcome), ["accepted"], "V1's attempt")

        var threw = false
        do {
            _ = try await store.recordDispatchAcceptances([
                DispatchAcceptance(actionId: items[2].actionId, remoteActionId: "R3", at: C.at(14)),
                DispatchAcceptance(actionId: 987_654, remoteActionId: "R?", at: C.at(14)),
            ], retry: C.noRetry)
        } catch {
            threw = true
        }
        try expect(threw, "a group with an unknown action did not throw")
        try expect(try await store.knownRemoteActionIds(vin: "V3").isEmpty, "part of a failed group was recorded")
        try expectEqual(try await store.inFlightDispatchItems().last?.status, .sending, "V3 after the failed group")
        try expectEqual(try await store.recordDispatchAcceptances([], retry: C.noRetry).count, 0, "an empty group")
    }
}
