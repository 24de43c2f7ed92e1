import Foundation
import OutcomeStore

/// One incident to raise (docs/notifications.md, "Vigie's own alerts"): its key — one
/// open incident per key, so the same trouble alerts once — what it is about, and the
/// firing alert's title and text. The constructors below are the catalogue of alerts:
/// each kind's key, title and text in one place.
struct Alert: Sendable, Hashable {
    var kind: AlertKind
    var key: String
    var vin: String?
    var bundle: String?
    var rule: String?
    var title: String
    var text: String

    func record(at now: Date) -> AlertIncidentRecord {
        AlertIncidentRecord(key: key, kind: kind.rawValue, vin: vin, bundle: bundle, rule: rule, title: title,
                            text: text, openedAt: now)
    }

    // MARK: The catalogue

    static let sessionKey = AlertKind.sessionExpired.key()

    static func sessionExpired(reason: String) -> Alert {
        Alert(kind: .sessionExpired, key: sessionKey, title: "Vigie: Stellantis session expired",
              text: "The Stellantis session cannot be used (\(reason)). Commands wait; notifications are still "
                  + "received. Run `vigie login`.")
    }

    static let sessionResolved = "The Stellantis session works again: commands resume."

    static func commandKey(vin: String, bundle: String, rule: String) -> String {
        AlertKind.commandFailed.key(vin, "\(bundle)/\(rule)")
    }

    static func commandFailed(vin: String, bundle: String, rule: String, status: ActionStatus, cause: String?) -> Alert {
        let why = status == .timedOut ? "got no answer in time" : "failed for good"
        return Alert(kind: .commandFailed, key: commandKey(vin: vin, bundle: bundle, rule: rule), vin: vin,
                     bundle: bundle, rule: rule, title: "Vigie: command failed",
                     text: "A command of \(bundle)/\(rule) for \(vin) \(why)\(cause.map { " (\($0))" } ?? ""). "
                         + "`vigie log --vin \(vin)` shows its attempts.")
    }

    static func commandResolved(vin: String, bundle: String, rule: String) -> String {
        "A command of \(bundle)/\(rule) for \(vin) succeeded again."
    }

    static func loopStopped(_ hold: ControlHoldRecord) -> Alert? {
        guard let vin = hold.vin, let bundle = hold.bundle, let rule = hold.rule else { return nil }
        return Alert(kind: .loopStopped, key: AlertKind.loopStopped.key(vin, "\(bundle)/\(rule)"), vin: vin,
                     bundle: bundle, rule: rule, title: "Vigie: rule stopped in a loop",
                     text: "\(bundle)/\(rule) \(hold.reason ?? "fired in a loop") on \(vin): stopped for this vehicle "
                         + "until `vigie resume --vin \(vin) --rule \(bundle)/\(rule)`.")
    }

    static func loopResolved(_ incident: AlertIncidentRecord) -> String {
        "\(incident.bundle ?? "-")/\(incident.rule ?? "-") resumed on \(incident.vin ?? "-")."
    }

    static func flapping(_ event: ControlEventRecord) -> Alert? {
        guard let vin = event.vin, let bundle = event.bundle, let rule = event.rule else { return nil }
        return Alert(kind: .flapping, key: AlertKind.flapping.key(vin, "\(bundle)/\(rule)"), vin: vin, bundle: bundle,
                     rule: rule, title: "Vigie: rule flapping",
                     text: "\(bundle)/\(rule) is flapping on \(vin): \(event.detail ?? "firings held back").")
    }

    static func flappingResolved(_ incident: AlertIncidentRecord) -> String {
        "\(incident.bundle ?? "-")/\(incident.rule ?? "-") is quiet again on \(incident.vin ?? "-"): firings resume."
    }

    /// A budget stop of the journal: the daily budgets share one incident per vehicle and
    /// day, the monthly wake-up cap has its own.
    static func budgetSpent(_ event: ControlEventRecord, monthly: Bool) -> Alert? {
        guard let vin = event.vin else { return nil }
        let until = monthly ? "the month ends" : "the day ends"
        return Alert(kind: .budgetSpent, key: AlertKind.budgetSpent.key(vin, monthly ? "month" : "day"), vin: vin,
                     title: "Vigie: budget spent",
                     text: "\(vin): \(event.detail ?? "command budget spent"). Its commands are skipped until "
                         + "\(until) (budgets: in vigie.yaml).")
    }

    static func budgetResolved(_ incident: AlertIncidentRecord) -> String {
        let period = incident.key.hasSuffix(":month") ? "month" : "day"
        return "\(incident.vin ?? "-"): a new budget \(period) began; commands are sent again."
    }

    static let webhookKey = AlertKind.webhookSecret.key()

    static func webhookSecret(count: Int, window: Double) -> Alert {
        Alert(kind: .webhookSecret, key: webhookKey, title: "Vigie: webhook calls with a wrong secret",
              text: "\(count) webhook calls with a wrong secret within \(Int(window / 60)) min were refused (401). "
                  + "Someone is probing the webhook URL, or the callback deployed at the API has an old secret "
                  + "(`vigie apply` deploys the current one).")
    }

    static func webhookResolved(quiet: Double) -> String {
        "No webhook call with a wrong secret for \(Int(quiet / 60)) min."
    }

    static func channelKey(_ channel: String) -> String { AlertKind.channelFailing.key(channel) }

    static func channelFailing(_ channel: String, status: String, detail: String) -> Alert {
        Alert(kind: .channelFailing, key: channelKey(channel), title: "Vigie: channel \(channel) failing",
              text: "Channel \(channel) gave up on a delivery (\(status)): \(detail). Check its settings in "
                  + "vigie.yaml; `vigie notify test --channel \(channel)` tries it.")
    }

    static func channelResolved(_ channel: String) -> String {
        "Channel \(channel) delivers again."
    }

    static let driftKey = AlertKind.monitorsDrifted.key()

    static func monitorsDrifted(_ drift: MonitorDrift) -> Alert {
        Alert(kind: .monitorsDrifted, key: driftKey, title: "Vigie: deployed monitors drifted from the rules",
              text: "The monitors deployed at the Stellantis API differ from what the rules compile to: "
                  + "\(drift.summary()). Notifications the rules need may not come. `vigie plan` shows the "
                  + "changes; `vigie apply` deploys them.")
    }

    static let driftResolved = "The deployed monitors match the rules again."

    /// The channel an incident of kind `channel-failing` is about (its alerts go through
    /// the other alert channels).
    static func failingChannel(of incident: AlertIncidentRecord) -> String? {
        let prefix = AlertKind.channelFailing.key("")
        guard incident.key.hasPrefix(prefix) else { return nil }
        return String(incident.key.dropFirst(prefix.count))
    }
}
