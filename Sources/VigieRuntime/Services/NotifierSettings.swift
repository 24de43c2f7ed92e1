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
public struct NotifierSettings: Sendable {
    public var channels: [ChannelConfiguration]
    /// `notifications.default`.
    public var defaults: [String]
    /// `notifications.alerts`: where Vigie's own alerts go.
    public var alerts: [String]
    /// Bundle name → its `notify_to`.
    public var bundleChannels: [String: [String]]
    /// VIN → inventory `name`.
    public var vehicleNames: [String: String]
    /// Retry n (0-based) of a delivery waits `backoff.delay(retry: n)` seconds, jittered
    /// to between half and all of it; a `Retry-After` given by the provider wins.
    public var backoff = Backoff(base: 5, cap: 1_800)
    /// Deliveries of one channel being sent at once.
    public var concurrency = 16
    /// Deliveries claimed per store transaction, at most.
    public var batch = 64
    /// Real-time period of the safety sweep (a deadline another process set).
    public var sweep: Double = 10
    /// Called after a delivery failed for good (a 4xx: a configuration error) or expired,
    /// once recorded: Vigie's own alerts hook in here ("a channel failing").
    public var onGiveUp: (@Sendable (NotifierGiveUp) async -> Void)?
    /// Called after a delivery through the named channel was delivered, once recorded (a
    /// failing channel's alert resolves). Called for every delivery: keep it cheap.
    public var onDelivered: (@Sendable (String) -> Void)?
    /// Signalled by the engine after a commit that enqueued deliveries.
    public let wake = NotifierWake()
    /// Source of the jitter (tests give a fixed one): a value in [0, 1).
    public var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    public init(channels: [ChannelConfiguration], defaults: [String] = [], alerts: [String] = [],
                bundleChannels: [String: [String]] = [:], vehicleNames: [String: String] = [:]) {
        self.channels = channels
        self.defaults = defaults
        self.alerts = alerts
        self.bundleChannels = bundleChannels
        self.vehicleNames = vehicleNames
    }

    /// The settings of a configuration's `notifications:` for checked `bundles`; nil when
    /// no channel is configured.
    public init?(config: NotificationsConfig, bundles: [CheckedBundle], vehicleNames: [String: String]) {
        guard !config.channels.isEmpty else { return nil }
        var routes: [String: [String]] = [:]
        for bundle in bundles {
            if let to = bundle.notifyTo { routes[bundle.name] = to }
        }
        self.init(channels: config.channels, defaults: config.defaults, alerts: config.alerts, bundleChannels: routes,
                  vehicleNames: vehicleNames)
    }

    public func channel(named name: String) -> ChannelConfiguration? {
        channels.first { $0.name == name }
    }
}

/// A delivery the notifier gave up on: `failed` (refused for good) or `expired`.
public struct NotifierGiveUp: Sendable, Hashable {
    public var delivery: NotificationDeliveryRecord
    /// `failed` or `expired`.
    public var status: NotificationDeliveryRecord.Status
    /// The provider's answer or the reason (never a secret).
    public var detail: String
}

/// The notifier's wake-up: the engine signals it after committing deliveries, the
/// notifier's own sends when one finishes.
public final class NotifierWake: Sendable {
    let signal = WakeSignal()

    public init() {}

    /// There may be deliveries to send now.
    public func wake() { signal.signal() }
}
