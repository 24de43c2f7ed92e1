import Foundation

/// One notification to deliver through one channel: a rule's notify action or one of
/// Vigie's own alerts. `id` is the delivery's stable id, the same on every retry, that a
/// receiver can deduplicate on (the webhook's `webhook-id`, the e-mail's Message-ID).
package struct NotificationMessage: Sendable, Hashable {
    /// A rule's notification, or an alert with its kind and whether it fires or resolves.
    package enum Kind: Sendable, Hashable {
        case notification
        case alert(kind: String, state: AlertState)
    }

    package enum AlertState: String, Sendable, Hashable, Codable {
        case firing, resolved
    }

    package var id: String
    package var kind: Kind
    /// The firing instant (or the alert's).
    package var at: Date
    package var vin: String?
    /// The vehicle's name (inventory `name`, else the API's label, else nil).
    package var vehicle: String?
    package var bundle: String?
    package var rule: String?
    package var title: String?
    package var text: String
    package var priority: NotificationPriority

    package init(id: String, kind: Kind = .notification, at: Date, vin: String? = nil, vehicle: String? = nil,
                bundle: String? = nil, rule: String? = nil, title: String? = nil, text: String,
                priority: NotificationPriority = .normal) {
        self.id = id
        self.kind = kind
        self.at = at
        self.vin = vin
        self.vehicle = vehicle
        self.bundle = bundle
        self.rule = rule
        self.title = title
        self.text = text
        self.priority = priority
    }

    /// The title when the rule gives one, else a short one built from what is known
    /// (providers that need a subject or a heading use it: e-mail, Pushover, ntfy).
    package var displayTitle: String {
        if let title, !title.isEmpty { return title }
        switch kind {
        case .alert(let kind, let state): return "Vigie alert \(kind) (\(state.rawValue))"
        case .notification:
            let parts = [bundle, rule].compactMap { $0 }
            return parts.isEmpty ? "Vigie" : "Vigie: " + parts.joined(separator: "/")
        }
    }
}
