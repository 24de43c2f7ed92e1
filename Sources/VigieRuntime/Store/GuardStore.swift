import Foundation
import OutcomeStore

/// What the guardrails (`SafetyGuard`) read and write, synchronously, under their lock:
/// the holds and their version, the journal. `OutcomeDatabase` (SQLite, a local file)
/// answers directly; a store behind a server (PostgreSQL) is reached through
/// `ControlMirror`, which keeps a copy fresh in the background, so the guard never waits
/// on the network while the engine and the dispatcher wait on it.
package protocol GuardStore: Sendable {
    /// Makes the configuration's pause a hold when set, and lifts it when not.
    func syncConfigHold(paused: Bool, at now: Date) throws
    /// Flapping holds still open.
    func openFlapHolds() throws -> [ControlEventRecord]
    /// A counter that changes whenever a hold is added or lifted (by any process).
    func controlVersion() throws -> Int64
    /// The holds in force and those lifted at or after `since`.
    func holds(activeOrResumedSince since: Date) throws -> [ControlHoldRecord]
    /// Records a hold (an open one of the same kind and scope is returned instead).
    func addHold(_ hold: ControlHoldRecord, detail: String?) throws -> (hold: ControlHoldRecord, isNew: Bool)
    /// The journal entries of one kind (for one vehicle when given) at or after `since`.
    func controlEvents(kind: ControlEventRecord.Kind, vin: String?, since: Date?) throws -> [ControlEventRecord]
    /// Adds a journal entry.
    @discardableResult
    func recordControlEvent(_ event: ControlEventRecord) throws -> ControlEventRecord
}

extension OutcomeDatabase: GuardStore {}

extension GuardStore {
    /// `addHold(_:detail:)` without a journal detail.
    package func addHold(_ hold: ControlHoldRecord) throws -> (hold: ControlHoldRecord, isNew: Bool) {
        try addHold(hold, detail: nil)
    }
}
