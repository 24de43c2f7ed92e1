import Foundation
import OutcomeStore
import RuleEngine

/// Records an engine's decisions together with its state, so that a process stopped at
/// any point and restarted from the database makes exactly the decisions of an
/// uninterrupted run (issue 3, "State survives restarts").
///
/// Each `record` is one transaction: the decisions (with their actions and, for
/// `.enqueue`, the outbox rows), the snapshot of every vehicle whose state changed, and
/// a checkpoint — how many inputs were consumed and the engine's clock (each vehicle's
/// row holds its place in first-seen order, `EngineCheckpointCodec`). `savedSnapshot()` rebuilds the `EngineSnapshot`
/// to `restore` into a fresh engine, and says where to resume the input.
package final class DecisionRecorder {
    package let database: OutcomeDatabase
    package let scope: String
    package let dispatch: DecisionCommit.Dispatch
    /// The encoded row last saved per vehicle: only changes are written again.
    private var saved: [String: Data] = [:]
    private let codec = EngineCheckpointCodec()

    package init(database: OutcomeDatabase, scope: String, dispatch: DecisionCommit.Dispatch) {
        self.database = database
        self.scope = scope
        self.dispatch = dispatch
    }

    /// The saved state of this scope, or nil when nothing was saved yet. `position` is
    /// the number of inputs the snapshot has consumed: resume with the next one.
    package func savedSnapshot() throws -> (snapshot: EngineSnapshot, position: Int64)? {
        let (checkpoint, rows) = try database.engineState(scope: scope)
        guard let checkpoint, let stateData = checkpoint.state else { return nil }
        let (snapshot, _) = try codec.decode(checkpoint: stateData, rows: rows)
        for vehicle in snapshot.vehicles { saved[vehicle.vin] = rows[vehicle.vin] }
        return (snapshot, checkpoint.position)
    }

    /// Commits `decisions`, made once `position` inputs were consumed, with the engine's
    /// `snapshot` at that point, in one transaction.
    package func record(_ decisions: [Decision], snapshot: EngineSnapshot, position: Int64,
                       processedInboxIds: [Int64] = []) throws {
        var changed: [String: Data] = [:]
        for (order, vehicle) in snapshot.vehicles.enumerated() {
            let data = try codec.vehicle(vehicle, order: order)
            if saved[vehicle.vin] != data { changed[vehicle.vin] = data }
        }
        let state = try codec.checkpoint(version: snapshot.version, now: snapshot.now)
        let step = DecisionCommit(scope: scope, decisions: decisions.map { DecisionRecord($0) },
                                  vehicleStates: changed,
                                  checkpoint: .init(position: position, at: snapshot.now.map(Timestamp.date), state: state),
                                  processedInboxIds: processedInboxIds, dispatch: dispatch)
        try database.commit(step)
        saved.merge(changed) { _, new in new }
    }
}
