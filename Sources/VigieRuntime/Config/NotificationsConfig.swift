import Notifications

/// The `notifications:` section of `vigie.yaml` (docs/notifications.md): the channels,
/// in file order, the default channels of a notify action that names none, and where
/// Vigie's own alerts go.
package struct NotificationsConfig: Sendable, Hashable {
    /// `default`: channels of a notify action with no `to:` in a bundle with no `notify_to`.
    package var defaults: [String]
    /// `alerts`: channels of Vigie's own alerts.
    package var alerts: [String]
    package var channels: [ChannelConfiguration]
    /// `drift_check`: seconds between serve's comparisons of the deployed monitors with
    /// the rules (alert `monitors-drifted`, gauge `vigie_monitors_drifted`); nil: `off`.
    package var driftCheck: Double? = 15 * 60

    package init(defaults: [String] = [], alerts: [String] = [], channels: [ChannelConfiguration] = []) {
        self.defaults = defaults
        self.alerts = alerts
        self.channels = channels
    }

    package var names: [String] { channels.map(\.name) }

    package func channel(named name: String) -> ChannelConfiguration? {
        channels.first { $0.name == name }
    }
}
