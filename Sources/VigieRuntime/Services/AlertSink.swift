import Foundation
import OutcomeStore

/// Where `AlertCenter` hands the alerts: the notifier's queue in `vigie serve`
/// (`StoreAlertSink`), a list in tests.
protocol AlertSink: Sendable {
    /// Hands one alert over, durably on return (it is then marked sent).
    func deliver(_ request: NotificationRequest) async throws
}

/// The notifier's queue: the store's `enqueueNotifications` (one delivery per channel,
/// deduplicated on the request's `dedupKey`), then the notifier's wake-up.
struct StoreAlertSink: AlertSink {
    let store: any RuntimeStore
    let wake: NotifierWake?

    func deliver(_ request: NotificationRequest) async throws {
        try await store.enqueueNotifications([request], at: request.at)
        wake?.wake()
    }
}
