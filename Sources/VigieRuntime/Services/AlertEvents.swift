import Foundation
import OutcomeStore
import Synchronization

/// What the other services tell Vigie's alerts, as it happens: commands that finished,
/// deliveries a channel gave up on or delivered. Each hook only appends to a queue and
/// wakes the alert monitor (cheap enough for every delivery); the monitor drains it.
package final class AlertEvents: Sendable {
    enum Event: Sendable, Hashable {
        /// A command ended: failed for good (`failed`, `timedOut`) or succeeded.
        case command(vin: String, bundle: String, rule: String, status: ActionStatus, cause: String?)
        /// A channel gave up on a delivery (`failed` or `expired`).
        case channelGaveUp(channel: String, status: String, detail: String)
        /// A channel delivered (only reported while it has an open incident).
        case channelDelivered(channel: String)
    }

    private struct State {
        var queue: [Event] = []
        /// Channels with an open `channel-failing` incident (deliveries of others are not queued).
        var failingChannels: Set<String> = []
    }

    private let state = Mutex(State())
    let wake = WakeSignal()

    package init() {}

    /// The runtime reporter's hook: commands that reached a final state.
    func commandsFinished(_ transitions: [DispatchTransition]) {
        let events: [Event] = transitions.compactMap { t in
            switch t.status {
            case .failed, .timedOut, .succeeded, .alreadyDone:
                return .command(vin: t.vin, bundle: t.bundle, rule: t.rule, status: t.status, cause: t.failureCause)
            default: return nil
            }
        }
        append(events)
    }

    /// The notifier's `onGiveUp`.
    func channelGaveUp(_ giveUp: NotifierGiveUp) {
        append([.channelGaveUp(channel: giveUp.delivery.channel, status: giveUp.status.rawValue,
                               detail: giveUp.detail)])
    }

    /// The notifier's `onDelivered`: queued only for a channel with an open incident.
    func delivered(channel: String) {
        let failing = state.withLock { $0.failingChannels.contains(channel) }
        if failing { append([.channelDelivered(channel: channel)]) }
    }

    /// The channels whose deliveries are worth reporting (their incident is open).
    func setFailingChannels(_ channels: Set<String>) {
        state.withLock { $0.failingChannels = channels }
    }

    /// Takes the events queued so far, oldest first.
    func drain() -> [Event] {
        state.withLock { s in
            defer { s.queue.removeAll() }
            return s.queue
        }
    }

    private func append(_ events: [Event]) {
        guard !events.isEmpty else { return }
        state.withLock { $0.queue.append(contentsOf: events) }
        wake.signal()
    }
}
