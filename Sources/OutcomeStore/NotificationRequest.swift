import Foundation

/// A notification to deliver through one or more channels, as the store takes it: a
/// rule's notify action (carried by its `DecisionRecord`, enqueued in the decision's own
/// transaction) or one of Vigie's own alerts (`RuntimeStore.enqueueNotifications`).
/// The store makes one delivery per channel, each with a stable id a receiver can
/// deduplicate on (docs/notifications.md "What a delivery guarantees").
///
/// No secret ever goes in here: channels are named, their settings stay in `vigie.yaml`.
package struct NotificationRequest: Sendable, Hashable {
    /// `notification` (a rule's) or `alert` (Vigie's own).
    package enum Kind: String, Sendable, Hashable, Codable {
        case notification, alert
    }

    package var kind: Kind
    /// The channel names (`notifications.channels`), one delivery each; duplicates count once.
    package var channels: [String]
    package var text: String
    package var title: String?
    /// `low`, `normal`, `high` or `urgent`.
    package var priority: String
    /// The firing instant (or the alert's).
    package var at: Date
    package var vin: String?
    /// The vehicle's name (inventory `name`, else the API's label), when known.
    package var vehicle: String?
    package var bundle: String?
    package var rule: String?
    /// An alert's kind (`session-expired`, …) and state (`firing` or `resolved`).
    package var alert: String?
    package var alertState: String?
    /// When given, a request whose key was already enqueued for a channel adds nothing for
    /// that channel (an alert once per incident: `"<kind>:<incident>:<state>"`).
    package var dedupKey: String?

    package init(kind: Kind = .notification, channels: [String], text: String, title: String? = nil,
                priority: String = "normal", at: Date, vin: String? = nil, vehicle: String? = nil,
                bundle: String? = nil, rule: String? = nil, alert: String? = nil, alertState: String? = nil,
                dedupKey: String? = nil) {
        self.kind = kind
        self.channels = channels
        self.text = text
        self.title = title
        self.priority = priority
        self.at = at
        self.vin = vin
        self.vehicle = vehicle
        self.bundle = bundle
        self.rule = rule
        self.alert = alert
        self.alertState = alertState
        self.dedupKey = dedupKey
    }

    /// The channels in order, each once.
    package var distinctChannels: [String] {
        var seen = Set<String>()
        return channels.filter { seen.insert($0).inserted }
    }
}
