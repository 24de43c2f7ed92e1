import Foundation
import OutcomeStore

// The checks of what `vigie explain` and `retention:` need from a store (the `pgops` block
// of `RuntimeStore`): the engine a vehicle belongs to and its saved state, and one pruning
// pass of the same policy on every store.
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    var pgopsChecks: [(name: String, run: @Sendable (any RuntimeStore) async throws -> Void)] {
        [
            ("explain reads one vehicle's engine", explainReadsOneVehiclesEngine),
            ("retention prunes only finished rows", retentionPrunesOnlyFinishedRows),
        ]
    }

    /// A store whose `vigie serve` never ran partitions has one engine (`serve`) observing
    /// every row; its checkpoint and one vehicle's state are read together; the inbox's
    /// VINs come sorted, once each.
    @Sendable func explainReadsOneVehiclesEngine(_ store: any RuntimeStore) async throws {
        let scope = try await store.engineScope(base: "serve", vin: "V1")
        try expectEqual(scope.name, "serve", "the one engine's scope")
        try expect(scope.observes("V1") && scope.observes("V2") && scope.observes(nil), "the one engine observes every row")
        let empty = try await store.engineState(scope: "serve", vin: "V1")
        try expect(empty.checkpoint == nil && empty.vehicle == nil, "a new store has no engine state")
        try await store.commit(DecisionCommit(scope: "serve", vehicleStates: ["V1": Data("one".utf8), "V2": Data("two".utf8)],
                                              checkpoint: .init(position: 7, at: C.at(1.5), state: Data("g".utf8))),
                               now: C.at(2))
        try await store.commit(DecisionCommit(scope: "other", vehicleStates: ["V1": Data("else".utf8)],
                                              checkpoint: .init(position: 9)), now: C.at(2))
        let saved = try await store.engineState(scope: "serve", vin: "V1")
        try expectEqual(saved.vehicle, Data("one".utf8), "the vehicle's state")
        try expectEqual(saved.checkpoint?.position, 7, "checkpoint position")
        try expectEqual(saved.checkpoint?.at, C.at(1.5), "checkpoint instant")
        try expectEqual(saved.checkpoint?.state, Data("g".utf8), "checkpoint state")
        try expectEqual(saved.checkpoint?.scope, "serve", "checkpoint scope")
        let unknown = try await store.engineState(scope: "serve", vin: "V9")
        try expect(unknown.checkpoint?.position == 7 && unknown.vehicle == nil, "a vehicle without state: the checkpoint alone")
        try expectEqual(try await store.engineState(scope: "other", vin: "V1").vehicle, Data("else".utf8), "another scope")
        try expectEqual(try await store.inboxVINs(), [], "no VIN in an empty inbox")
        _ = try await store.appendIntake([IntakeBatch(notifications: [
            C.notification("a", vin: "V2"), C.notification("b", vin: "V1"), C.notification("c", vin: "V2"),
            IntakeBatch.Notification(dedupKey: "d", vin: nil, type: nil, eventDate: nil, body: "{}"),
        ])], at: C.at(3))
        try expectEqual(try await store.inboxVINs(), ["V1", "V2"], "the inbox's VINs")
    }

    /// One pass with every limit at 50 s (batches of one row): what is old and finished goes,
    /// what is still in use stays whatever its age, and a second pass finds nothing.
    @Sendable func retentionPrunesOnlyFinishedRows(_ store: any RuntimeStore) async throws {
        // Inbox: processed long ago (goes), never processed (stays), processed recently (stays).
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("old-done"), C.notification("old-open")])],
                                         at: C.at(0))
        _ = try await store.appendIntake([IntakeBatch(notifications: [C.notification("new-done")])], at: C.at(100))
        let rows = try await store.inboxRows(receivedFrom: C.at(-1), through: C.at(200))
        let ids = Dictionary(uniqueKeysWithValues: rows.map { ($0.dedupKey, $0.id ?? 0) })
        try await store.markProcessed([ids["old-done"] ?? 0], at: C.at(10))
        try await store.markProcessed([ids["new-done"] ?? 0], at: C.at(110))
        // Decisions recorded at 0 s: a suppression (goes), a command still queued (stays), a
        // command that succeeded (goes, with its attempt), a command retried and queued
        // again (stays, with its attempt), a notify whose delivery is queued (stays).
        let suppressed = DecisionRecord(at: C.at(0), vin: "V1", bundle: "b", rule: "s", event: .suppressed,
                                        reason: "cooldown", actions: [])
        var notify = DecisionRecord(at: C.at(0), vin: "V5", bundle: "b", rule: "n", event: .fired, actions: [.notify("hi")])
        notify.notifications = [0: NotificationRequest(channels: ["ops"], text: "hi", at: C.at(0), vin: "V5")]
        let items = try await C.queue([suppressed, C.fired(0, vin: "V2"), C.fired(0, vin: "V3"), C.fired(0, vin: "V4"), notify],
                                      in: store)
        guard let done = items.first(where: { $0.vin == "V3" }), let retried = items.first(where: { $0.vin == "V4" }) else {
            throw Failure(check: "", message: "queued commands: \(items.map(\.vin))")
        }
        _ = try await store.beginAttempt(outboxId: done.outboxId, at: C.at(1))
        _ = try await store.finishDispatch(actionId: done.actionId, status: .succeeded, failureCause: nil, detail: nil,
                                           httpStatus: 200, at: C.at(5))
        _ = try await store.beginAttempt(outboxId: retried.outboxId, at: C.at(1))
        try await store.requeueDispatch(actionId: retried.actionId, httpStatus: 503, detail: "unavailable",
                                        retryAt: C.at(3000), at: C.at(6))
        // A suppression recorded at 100 s (stays: newer than the cutoff).
        try await store.commit(DecisionCommit(scope: "serve", decisions: [
            DecisionRecord(at: C.at(100), vin: "V1", bundle: "b", rule: "s", event: .suppressed, reason: "cooldown", actions: []),
        ]), now: C.at(100))

        try expectEqual(try await store.pruneRetention(RetentionCutoffs(batchSize: 1)), RetentionCounts(),
                        "no limit: nothing pruned")
        let cutoff = C.at(50)
        let pass = RetentionCutoffs(inbox: cutoff, decisions: cutoff, attempts: cutoff, batchSize: 1)
        try expectEqual(try await store.pruneRetention(pass), RetentionCounts(inbox: 1, decisions: 2, attempts: 1), "first pass")
        try expectEqual(try await store.inboxRows(receivedFrom: C.at(-1), through: C.at(200)).map(\.dedupKey),
                        ["old-open", "new-done"], "inbox kept")
        let kept = try await store.loggedDecisions(LogFilter())
        try expectEqual(kept.map(\.firing.vin), ["V2", "V4", "V5", "V1"], "decisions kept")
        try expectEqual(try await store.attempts(actionId: retried.actionId).count, 1, "the attempt of a command not final")
        try expectEqual(try await store.attempts(actionId: done.actionId).count, 0, "the succeeded command's attempt")
        try expectEqual(try await store.notificationDeliveries(status: .queued, limit: 10).count, 1, "the queued delivery")
        try expectEqual(try await store.nextDispatchItems(at: C.at(3600), limit: 10).map(\.vin).sorted(), ["V2", "V4"],
                        "the commands still to send")
        try expectEqual(try await store.pruneRetention(pass), RetentionCounts(), "a second pass")
        try expectEqual(try await store.pruneRetention(RetentionCutoffs(inbox: C.at(1000), decisions: C.at(1000),
                                                                        attempts: C.at(1000), batchSize: 500)),
                        RetentionCounts(inbox: 1, decisions: 1, attempts: 0), "a later cutoff, one batch")
    }
}
