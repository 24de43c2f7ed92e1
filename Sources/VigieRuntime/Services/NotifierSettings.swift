import Foundation
import Notifications
import OutcomeStore
import RuleLanguage
import VehicleData

/// What the notifier service and the engine's notify actions need from `notifications:`
/// (docs/notifications.md): the channels with their limits, where a notify action goes
/// (its `to:`, else the bundle's `notify_to`, else `default`), the vehicles' names, the
/// retry schedule, and the wake-up the engine gives after a commit that enqueued
/// deliveries. Part of `RuntimeSettings` (nil: notify actions are recorded, not delivered).
package struct NotifierSettings: Sendable {
    package var channels: [ChannelConfiguration]
    /// `notifications.default`.
    package var defaults: [String]
    /// `notifications.alerts`: where Vigie's own alerts go.
    package var alerts: [String]
    /// Bundle name → its `notify_to`.
    package var bundleChannels: [String: [String]]
    /// VIN → inventory `name`.
    package var vehicleNames: [String: String]
    /// The API's labels of the vehicles (serve's drift check reads them): a delivery's
    /// `vehicle` when the inventory gives no name.
    package var vehicleLabels: VehicleLabels?
    /// Retry n (0-based) of a delivery waits `backoff.delay(retry: n)` seconds, jittered
    /// to between half and all of it; a `Retry-After` given by the provider wins.
    package var backoff = Backoff(base: 5, cap: 1_800)
    /// Deliveries of one channel being sent at once.
    package var concurrency = 16
    /// Deliveries claimed per store transaction, at most.
    package var batch = 64
    /// Real-time period of the safety sweep (a deadline another process set).
    package var sweep: Double = 10
    /// Called after a delivery failed for good (a 4xx: a configuration error) or expired,
    /// once recorded: Vigie's own alerts hook in here ("a channel failing").
    package var onGiveUp: (@Sendable (NotifierGiveUp) async -> Void)?
    /// Called after a delivery through the named channel was delivered, once recorded (a
    /// failing channel's alert resolves). Called for every delivery: keep it cheap.
    package var onDelivered: (@Sendable (String) -> Void)?
    /// Signalled by the engine after a commit that enqueued deliveries.
    package let wake = NotifierWake()
    /// Source of the jitter (tests give a fixed one): a value in [0, 1).
    package var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    package init(channels: [ChannelConfiguration], defaults: [String] = [], alerts: [String] = [],
                bundleChannels: [String: [String]] = [:], vehicleNames: [String: String] = [:]) {
        self.channels = channels
        self.defaults = defaults
        self.alerts = alerts
        self.bundleChannels = bundleChannels
        self.vehicleNames = vehicleNames
    }

    /// The settings of a configuration's `notifications:` for checked `bundles`; nil when
    /// no channel is configured.
    package init?(config: NotificationsConfig, bundles: [CheckedBundle], vehicleNames: [String: String]) {
        guard !config.channels.isEmpty else { return nil }
        var routes: [String: [String]] = [:]
        for bundle in bundles {
            if let to = bundle.notifyTo { routes[bundle.name] = to }
        }
        self.init(channels: config.channels, defaults: config.defaults, alerts: config.alerts, bundleChannels: routes,
                  vehicleNames: vehicleNames)
    }

    /// A vehicle's name: the inventory's `name`, else the API's label (nil: neither).
    package func vehicleName(vin: String) -> String? {
        vehicleNames[vin] ?? vehicleLabels?.label(vin: vin)
    }

    package func channel(named name: String) -> ChannelConfiguration? {
        channels.first { $0.name == name }
    }
}

/// A delivery the notifier gave up on: `failed` (refused for good) or `expired`.
package struct NotifierGiveUp: Sendable, Hashable {
    package var delivery: NotificationDeliveryRecord
    /// `failed` or `expired`.
    package var status: NotificationDeliveryRecord.Status
    /// The provider's answer or the reason (never a secret).
    package var detail: String
}

/// The notifier's wake-up: the engine signals it after committing deliveries, the
/// notifier's own sends when one finishes.
package final class NotifierWake: Sendable {
    let signal = WakeSignal()

    package init() {}

    /// There may be deliveries to send now.
    package func wake() { signal.signal() }
}
