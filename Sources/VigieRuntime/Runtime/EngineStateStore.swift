import Foundation
import OutcomeStore
import RuleEngine

/// The engine loop's durable state in the database (scope `serve`, or a partition's):
/// one snapshot per vehicle, written only when it changed, each with its place in the
/// order the engine first saw the vehicles; and a checkpoint holding the engine's clock
/// and the last inbox id consumed (`EngineCheckpointCodec`).
struct EngineStateStore {
    let database: any RuntimeStore
    let scope: String
    /// The encoded row last saved per vehicle.
    private(set) var saved: [String: Data] = [:]
    /// Each vehicle's place in first-seen order.
    private var order: [String: Int] = [:]
    private let codec = EngineCheckpointCodec()

    init(database: any RuntimeStore, scope: String) {
        self.database = database
        self.scope = scope
    }

    /// The saved snapshot and the last inbox id it consumed (nil: nothing saved yet).
    mutating func load() async throws -> (snapshot: EngineSnapshot, position: Int64)? {
        let (checkpoint, rows) = try await database.engineState(scope: scope)
        guard let checkpoint, let data = checkpoint.state else { return nil }
        let (snapshot, order) = try codec.decode(checkpoint: data, rows: rows)
        self.order = order
        for vehicle in snapshot.vehicles { saved[vehicle.vin] = rows[vehicle.vin] }
        return (snapshot, checkpoint.position)
    }

    /// Remembers a vehicle the engine has now seen.
    mutating func note(_ vin: String) {
        if order[vin] == nil { order[vin] = order.count }
    }

    /// The changed rows of `vins` and the checkpoint to commit with them.
    func changes(engine: RuleEngine, vins: Set<String>, position: Int64) throws
        -> (states: [String: Data], checkpoint: DecisionCommit.Checkpoint) {
        var states: [String: Data] = [:]
        for vin in vins {
            guard let snapshot = engine.snapshot(vin: vin) else { continue }
            let data = try codec.vehicle(snapshot, order: order[vin] ?? order.count)
            if saved[vin] != data { states[vin] = data }
        }
        let state = try codec.checkpoint(version: 1, now: engine.now)
        return (states, DecisionCommit.Checkpoint(position: position, at: engine.now.map(Timestamp.date), state: state))
    }

    /// After a commit: what is on disk now.
    mutating func committed(_ states: [String: Data]) {
        saved.merge(states) { _, new in new }
    }
}
