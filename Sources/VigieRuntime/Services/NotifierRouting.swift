import Foundation
import OutcomeStore
import RuleEngine

extension NotifierSettings {
    /// Where and how each notify action of a fired decision is delivered: its `to:`, else
    /// the bundle's `notify_to`, else `notifications.default` (DESIGN.md "Notifications").
    /// An action that resolves to no channel gets no delivery (it is recorded only).
    package func requests(for decision: Decision) -> [Int: NotificationRequest] {
        guard decision.event == .fired else { return [:] }
        var out: [Int: NotificationRequest] = [:]
        for (position, action) in decision.actions.enumerated() {
            guard case .notify(let text) = action else { continue }
            let details = decision.notifyDetails[position]
            let channels = details?.to ?? bundleChannels[decision.bundle] ?? defaults
            guard !channels.isEmpty else { continue }
            out[position] = NotificationRequest(kind: .notification, channels: channels, text: text,
                                                title: details?.title, priority: details?.priority ?? "normal",
                                                at: Timestamp.date(decision.at), vin: decision.vin,
                                                vehicle: vehicleName(vin: decision.vin), bundle: decision.bundle,
                                                rule: decision.rule)
        }
        return out
    }
}

extension DecisionRecord {
    /// The store's view of an engine decision, its notify actions routed to their
    /// channels when notifications are configured (`settings` nil: recorded only).
    package init(_ decision: Decision, inboxId: Int64?, notifications settings: NotifierSettings?) {
        self.init(decision, inboxId: inboxId)
        if let settings { notifications = settings.requests(for: decision) }
    }
}
