import Foundation
import OutcomeStore

// The notification delivery checks of `RuntimeStoreConformance` (docs/notifications.md
// "What a delivery guarantees"): deliveries are committed with their decision or not at
// all; a delivery is claimed by one claimant at a time, taken again once a dead claim's
// lease ends, and a stale claimant cannot overwrite its outcome; dedup keys hold.
extension RuntimeStoreConformance {
    private typealias C = RuntimeStoreConformance

    /// The checks of this file, by name.
    var notificationChecks: [(name: String, run: @Sendable (any RuntimeStore) async throws -> Void)] {
        [
            ("notification deliveries committed with the decision", deliveriesGoWithTheirDecision),
            ("notification claims and outcomes", deliveryClaimsAndOutcomes),
        ]
    }

    static func notifying(_ seconds: Double, text: String, channels: [String]) -> DecisionRecord {
        var decision = fired(seconds, notify: text)
        decision.notifications[1] = NotificationRequest(channels: channels, text: text, title: "T", priority: "high",
                                                        at: at(seconds), vin: decision.vin, bundle: decision.bundle,
                                                        rule: decision.rule)
        return decision
    }

    /// One delivery per channel of a notify action, in the decision's transaction: none
    /// when the step fails, none with `.recordOnly`, each tied to its firing and action.
    @Sendable func deliveriesGoWithTheirDecision(_ store: any RuntimeStore) async throws {
        try await armFailure(store)
        let decision = C.notifying(1, text: "low", channels: ["phone", "ops", "phone"])
        var threw = false
        do {
            try await store.commit(DecisionCommit(scope: C.failingScope, decisions: [decision],
                                                  checkpoint: .init(position: 1)), now: C.at(2))
        } catch { threw = true }
        try expect(threw, "commit with an injected failure did not throw")
        try expectEqual(try await store.notificationDeliveries(status: nil, limit: 10).count, 0,
                        "deliveries left by a failed step")

        try await store.commit(DecisionCommit(scope: "dry-run", decisions: [decision], dispatch: .recordOnly), now: C.at(2))
        try expectEqual(try await store.notificationDeliveries(status: nil, limit: 10).count, 0,
                        "deliveries of a record-only step")

        let result = try await store.commitDispatchStep(DispatchStep(commit: DecisionCommit(scope: "serve", decisions: [decision]),
                                                                     cancelsRunning: [false]),
                                                        at: C.at(3), retry: C.noRetry)
        let made = try await store.notificationDeliveries(firingIds: result.firingIds)
        try expectEqual(made.map(\.channel), ["phone", "ops"], "one delivery per distinct channel, in order")
        try expect(made.allSatisfy { $0.firingId == result.firingIds[0] && $0.actionId != nil }, "tied to the firing")
        try expect(made.allSatisfy { $0.status == .queued && $0.attempts == 0 && $0.notBefore == C.at(3) }, "queued now")
        try expectEqual(Set(made.map(\.deliveryId)).count, 2, "distinct delivery ids")
        let first = made[0].request
        try expect(first.text == "low" && first.title == "T" && first.priority == "high" && first.vin == "V1"
                   && first.bundle == "b" && first.rule == "r" && first.at == C.at(1) && first.kind == .notification,
                   "request read back: \(first)")
        let stats = try await store.notificationQueueStats()
        try expect(stats.pending == 2 && stats.sending == 0 && stats.oldestCreatedAt == C.at(3), "queue stats \(stats)")
    }

    /// Claims: one claimant per delivery (concurrent claimants included), none while a
    /// lease holds, again once it ended; outcomes only by the live claim; the schedule;
    /// dedup keys per channel.
    @Sendable func deliveryClaimsAndOutcomes(_ store: any RuntimeStore) async throws {
        let requests = (0..<6).map { i in
            NotificationRequest(kind: .alert, channels: ["a"], text: "n\(i)", at: C.at(0), alert: "k",
                                alertState: "firing", dedupKey: "k:\(i)")
        }
        try expectEqual(try await store.enqueueNotifications(requests + [requests[0]], at: C.at(0)).count, 6,
                        "a repeated dedup key adds nothing")
        try expectEqual(try await store.enqueueNotifications([requests[1]], at: C.at(0)).count, 0, "dedup key again")
        try await store.enqueueNotifications([NotificationRequest(channels: ["b"], text: "later", at: C.at(0))],
                                             at: C.at(0))
        try expectEqual(try await store.notificationSchedule(), ["a": C.at(0), "b": C.at(0)], "schedule")

        let lease = C.at(60)
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await store.claimNotificationDeliveries(channel: "a", at: C.at(1), limit: 2, leaseUntil: lease)
                        .map(\.id)
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        try expectEqual(claims.count, 6, "deliveries claimed by concurrent claimants")
        try expectEqual(Set(claims).count, 6, "each claimed once")
        try expectEqual(try await store.claimNotificationDeliveries(channel: "a", at: C.at(59), limit: 10,
                                                                    leaseUntil: lease).count,
                        0, "claims while the leases hold")
        try expectEqual(try await store.notificationSchedule()["a"], lease, "schedule: the leases' end")
        try expectEqual(try await store.notificationQueueStats().sending, 6, "sending")

        let id = claims.min()!
        try expect(try await store.recordNotificationAttempt(deliveryRowId: id, attempt: 1,
                                                             outcome: .retry(at: C.at(30), detail: "HTTP 503", httpStatus: 503),
                                                             at: C.at(2)), "recording the live claim")
        try expect(try await !store.recordNotificationAttempt(deliveryRowId: id, attempt: 1,
                                                              outcome: .delivered(detail: "late", httpStatus: 200),
                                                              at: C.at(3)), "recording twice")
        try expectEqual(try await store.notificationSchedule()["a"], C.at(30), "schedule: the retry")

        // The other leases end (their claimant died): claimed again, attempt 2.
        let again = try await store.claimNotificationDeliveries(channel: "a", at: lease, limit: 10,
                                                                leaseUntil: C.at(120))
        try expectEqual(again.count, 6, "the retry and the dead claims")
        try expect(again.allSatisfy { $0.attempts == 2 && $0.status == .sending }, "second attempts")
        let dead = again.first { $0.id != id }!
        try expect(try await !store.recordNotificationAttempt(deliveryRowId: dead.id, attempt: 1,
                                                              outcome: .delivered(detail: "HTTP 200", httpStatus: 200),
                                                              at: C.at(61)), "the dead claim recording")
        let recorded = try await store.recordNotificationAttempts(again.map {
            NotificationAttemptReport(deliveryRowId: $0.id, attempt: 2,
                                      outcome: $0.id == id ? .failed(detail: "HTTP 404", httpStatus: 404)
                                          : .delivered(detail: "HTTP 200", httpStatus: 200))
        }, at: C.at(62))
        try expectEqual(recorded, Array(repeating: true, count: 6), "batch recorded")
        let attempts = try await store.notificationAttempts(deliveryRowId: id)
        try expectEqual(attempts.map(\.outcome), ["retryable", "failed"], "attempts of the retried delivery")
        try expectEqual(attempts.map(\.httpStatus), [503, 404], "their statuses")
        try expectEqual(try await store.notificationAttempts(deliveryRowId: dead.id).map(\.outcome), [nil, "delivered"],
                        "the dead claim's attempt stays open")
        try expectEqual(try await store.notificationDeliveries(status: .delivered, limit: 10).count, 5, "delivered")
        let failed = try await store.notificationDeliveries(status: .failed, limit: 10)
        try expect(failed.count == 1 && failed[0].finishedAt == C.at(62) && failed[0].lastHTTPStatus == 404
                   && failed[0].lastDetail == "HTTP 404" && failed[0].request.alert == "k", "the failed one: \(failed)")
        try expectEqual(try await store.notificationSchedule(), ["b": C.at(0)], "schedule: only b left")
        let stats = try await store.notificationQueueStats()
        try expect(stats.pending == 1 && stats.sending == 0, "queue stats \(stats)")
    }
}
