import Foundation
import OutcomeStore
import VehicleData

// The manual commands' checks (`vigie send`, the console's button).
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// A manual command is refused for a VIN the store does not know (nothing written);
    /// queued, it is a fired `manual` decision whose command the dispatcher claims like a
    /// rule's (same queue, same budget count), the control version moved, and who asked
    /// comes back for its decision only.
    @Sendable func manualCommandQueuedLikeARulesCommand(_ store: any RuntimeStore) async throws {
        let doorsLock: JSONValue = .object(["door": .object(["state": .string("Locked")])])
        func request(_ vin: String) -> ManualCommandRequest {
            ManualCommandRequest(vin: vin, action: "doors: lock", name: "doors", body: doorsLock, requestedBy: "alice",
                                 via: "cli")
        }
        do {
            _ = try await store.enqueueManualCommand(request("V9"), at: C.at(1))
            throw Failure(check: "", message: "an unknown VIN was accepted")
        } catch let error as ManualCommandError {
            try expectEqual(error, .unknownVehicle("V9"), "the refusal")
        }
        try expectEqual(try await store.decisionCount(), 0, "decisions after a refusal")
        let ruleItems = try await C.queue([C.fired(1)], in: store)
        let versionBefore = try await store.controlVersion()
        let record = try await store.enqueueManualCommand(request("V1"), at: C.at(2))
        try expect(try await store.controlVersion() != versionBefore, "the control version did not move")
        try expectEqual(record.requestedBy, "alice", "who asked")
        let unknownAccepted = try await store.enqueueManualCommand(
            ManualCommandRequest(vin: "V7", action: "horn: on", name: "horn",
                                 body: .object(["horn": .object(["state": .string("Activated")])]),
                                 requestedBy: "console session 1a2b", via: "console", requireKnownVehicle: false),
            at: C.at(3))
        let logged = try await store.loggedDecisions(LogFilter(bundle: ManualCommandRecord.bundle))
        try expectEqual(logged.map(\.firing.id), [record.firingId, unknownAccepted.firingId], "manual decisions logged")
        try expectEqual(logged[0].decision, DecisionRecord(at: C.at(2), vin: "V1", bundle: "manual", rule: "doors",
                                                           event: .fired, actions: [.remote(doorsLock)]),
                        "the manual decision")
        try expectEqual(logged[0].actionRecords.map(\.status), ["queued"], "its action")
        let asked = try await store.manualCommands(firingIds: [record.firingId, unknownAccepted.firingId] + ruleItems.map(\.firingId))
        try expectEqual(asked[record.firingId], record, "who asked, read back")
        try expectEqual(asked[unknownAccepted.firingId]?.via, "console", "via")
        try expectEqual(asked.count, 2, "a rule's decision is not manual")
        // Behind the rule's command of the same vehicle, then claimed and counted like it.
        try expectEqual(try await store.nextDispatchItems(at: C.at(10), limit: 10).map(\.outboxId).sorted(),
                        [ruleItems[0].outboxId, try await manualItem(store, vin: "V7").outboxId].sorted(),
                        "one head per vehicle: V1's rule command first")
        _ = try await store.beginAttempt(outboxId: ruleItems[0].outboxId, at: C.at(11))
        _ = try await store.recordDispatchAccepted(actionId: ruleItems[0].actionId, remoteActionId: "R1", httpStatus: 202,
                                                   at: C.at(11.5), retry: C.noRetry)
        _ = try await store.finishDispatch(actionId: ruleItems[0].actionId, status: .succeeded, failureCause: nil,
                                           detail: nil, httpStatus: nil, at: C.at(12))
        let item = try await manualItem(store, vin: "V1")
        try expectEqual([item.actionId, item.firingId], [record.actionId, record.firingId], "the manual command's ids")
        try expectEqual([item.bundle, item.rule], ["manual", "doors"], "its bundle and rule")
        try expectEqual(item.body, StoreJSON.string(doorsLock), "its body")
        _ = try await store.beginAttempt(outboxId: item.outboxId, at: C.at(13))
        try expectEqual(try await store.commandsSent(vin: "V1", from: C.at(0), to: C.at(100)).commands, 2,
                        "the budget counts the manual command")
    }

    private func manualItem(_ store: any RuntimeStore, vin: String) async throws -> DispatchItem {
        guard let item = try await store.nextDispatchItems(at: C.at(20), limit: 10).first(where: { $0.vin == vin }) else {
            throw Failure(check: "", message: "no queued command for \(vin)")
        }
        return item
    }
}
