/// What became of an action. A notify is `notified` as soon as its decision is
/// recorded; a remote goes `queued` → `sending` → `sent` → (`pending`) → one of the
/// final states, or stays `notSent` when the decision was only recorded (dry run).
package enum ActionStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// A notify, rendered and logged.
    case notified
    /// Recorded without being sent (`vigie dry-run --db`).
    case notSent
    /// Waiting in the outbox.
    case queued
    /// A POST is being made (a crash here means: reconcile before retrying).
    case sending
    /// The API accepted the request (a `remoteActionId` is known).
    case sent
    /// A `Pending` notification arrived for it.
    case pending
    /// `Done` / `Success`.
    case succeeded
    /// `Done` / `AlreadyDone`.
    case alreadyDone
    /// `Done` / `Failed`, or a request the API refused, with no retry left.
    case failed
    /// No `Done` arrived in time and reconciliation did not find one.
    case timedOut
    /// Not sent on purpose (budget exhausted, stale data, cancelled by `mode: restart`…).
    case skipped

    /// Final states: the action will not change any more.
    package var isFinal: Bool {
        switch self {
        case .notified, .notSent, .succeeded, .alreadyDone, .failed, .timedOut, .skipped: return true
        case .queued, .sending, .sent, .pending: return false
        }
    }
}
