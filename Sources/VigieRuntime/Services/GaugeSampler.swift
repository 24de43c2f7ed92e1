import Foundation
import OutcomeStore
import WebhookServer

/// Renders `/metrics`: copies the receiver's counters, the queue depths and the API's
/// rate limits into the gauges first.
struct GaugeSampler: Sendable {
    let metrics: RuntimeMetrics
    let intake: IntakeCounters
    let store: any RuntimeStore
    let access: APIAccess

    func render() async -> String {
        await refresh()
        return metrics.render()
    }

    /// Throws when the store cannot be read (`/healthz`).
    func ping() async throws {
        try await store.ping()
    }

    func refresh() async {
        let c = intake.snapshot
        metrics.set(RuntimeMetrics.webhookRequests, to: Double(c.requests))
        metrics.set(RuntimeMetrics.notificationsStored, to: Double(c.stored))
        metrics.set(RuntimeMetrics.notificationsDuplicate, to: Double(c.duplicates))
        metrics.set(RuntimeMetrics.notificationsDeadLetter, to: Double(c.deadLetters))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "unauthorized"], to: Double(c.unauthorized))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "too_large"], to: Double(c.tooLarge))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "storage_failure"], to: Double(c.storageFailures))
        if let depths = try? await store.runtimeQueueDepths() {
            metrics.set(RuntimeMetrics.inboxUnprocessed, to: Double(depths.inboxUnprocessed))
            metrics.set(RuntimeMetrics.outboxQueued, to: Double(depths.outboxQueued))
            metrics.set(RuntimeMetrics.outboxInFlight, to: Double(depths.outboxInFlight))
        }
        if let limits = access.current?.rateLimitStatus {
            if let v = limits.dayRemaining { metrics.set(RuntimeMetrics.rateLimitRemaining, ["window": "day"], to: Double(v)) }
            if let v = limits.burstRemaining { metrics.set(RuntimeMetrics.rateLimitRemaining, ["window": "burst"], to: Double(v)) }
            if let v = limits.dayLimit { metrics.set(RuntimeMetrics.rateLimitLimit, ["window": "day"], to: Double(v)) }
            if let v = limits.burstLimit { metrics.set(RuntimeMetrics.rateLimitLimit, ["window": "burst"], to: Double(v)) }
        }
    }
}
