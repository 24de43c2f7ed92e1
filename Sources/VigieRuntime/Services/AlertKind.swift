/// The kinds of Vigie's own alerts (docs/notifications.md, "Vigie's own alerts"): the
/// `alert` field of a webhook body, and the first part of an incident's key.
package enum AlertKind: String, Sendable, Hashable, CaseIterable {
    /// The Stellantis session expired or cannot be refreshed: `vigie login`.
    case sessionExpired = "session-expired"
    /// A command failed for good (after its retries) on a vehicle, for a rule.
    case commandFailed = "command-failed"
    /// A rule fired in a loop on a vehicle and was stopped by the loop guard.
    case loopStopped = "loop-stopped"
    /// A rule is held for flapping on a vehicle.
    case flapping
    /// A vehicle's daily command or wake-up budget (or monthly wake-up cap) is spent.
    case budgetSpent = "budget-spent"
    /// A burst of webhook calls with a wrong secret.
    case webhookSecret = "webhook-secret"
    /// A channel gave up on a delivery (refused for good, or expired); reported through
    /// the other alert channels.
    case channelFailing = "channel-failing"
    /// The monitors deployed for Vigie's callback differ from what the rules compile to
    /// (serve's drift check, `DriftWatcher`).
    case monitorsDrifted = "monitors-drifted"

    /// The priority of the firing alert (a resolved one is `normal`).
    var priority: String {
        switch self {
        case .sessionExpired, .commandFailed, .loopStopped, .channelFailing: return "high"
        case .flapping, .budgetSpent, .webhookSecret, .monitorsDrifted: return "normal"
        }
    }

    /// The incident key of this kind about `parts` (`loop-stopped:VIN:bundle/rule`).
    func key(_ parts: String...) -> String {
        ([rawValue] + parts).joined(separator: ":")
    }
}
