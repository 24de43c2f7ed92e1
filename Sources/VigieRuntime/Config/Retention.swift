/// `retention:` in vigie.yaml: how long `vigie serve` keeps rows that only serve history
/// before pruning them in the background (docs/production.md). Each limit is in seconds;
/// nil keeps those rows forever (the default).
package struct Retention: Sendable, Hashable {
    /// Processed inbox rows (the raw notifications), by the time they were processed.
    package var inbox: Double?
    /// Decisions (fired and suppressed) whose actions are all final, with their actions,
    /// attempts and outbox rows, by the time they were recorded.
    package var decisions: Double?
    /// Finished attempts of final actions, by the time they finished.
    package var attempts: Double?
    /// Seconds between two pruning passes (the first runs when serve starts).
    package var interval: Double

    /// The shortest limit accepted: two days keep today's and yesterday's rows, which the
    /// daily budgets and the API's redelivery of a notification (deduplicated by the
    /// inbox) look back on.
    package static let minimum: Double = 2 * 86_400

    package init(inbox: Double? = nil, decisions: Double? = nil, attempts: Double? = nil, interval: Double = 3_600) {
        self.inbox = inbox
        self.decisions = decisions
        self.attempts = attempts
        self.interval = interval
    }

    /// Whether anything is ever pruned.
    package var isEnabled: Bool { inbox != nil || decisions != nil || attempts != nil }
}
