import Foundation
import OutcomeStore
import RuleEngine

/// The engine loop's durable state in the database (scope `serve`): one snapshot per
/// vehicle (written only when it changed) and a checkpoint holding the engine's clock,
/// the order the vehicles were first seen in, and the last inbox id consumed.
struct EngineStateStore {
    let database: any RuntimeStore
    let scope: String
    /// The encoded snapshot last saved per vehicle.
    private(set) var saved: [String: Data] = [:]
    /// VINs in the order the engine first saw them.
    private(set) var order: [String] = []
    private var known: Set<String> = []

    private struct CheckpointState: Codable {
        var version: Int
        var now: Millis?
        var vehicles: [String]
    }

    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    init(database: any RuntimeStore, scope: String) {
        self.database = database
        self.scope = scope
    }

    /// The saved snapshot and the last inbox id it consumed (nil: nothing saved yet).
    mutating func load() async throws -> (snapshot: EngineSnapshot, position: Int64)? {
        let (checkpoint, rows) = try await database.engineState(scope: scope)
        guard let checkpoint, let data = checkpoint.state else { return nil }
        let decoder = JSONDecoder()
        let state = try decoder.decode(CheckpointState.self, from: data)
        var vehicles: [VehicleSnapshot] = []
        for vin in state.vehicles {
            guard let row = rows[vin] else { continue }
            vehicles.append(try decoder.decode(VehicleSnapshot.self, from: row))
            saved[vin] = row
            note(vin)
        }
        return (EngineSnapshot(version: state.version, now: state.now, vehicles: vehicles), checkpoint.position)
    }

    /// Remembers a vehicle the engine has now seen.
    mutating func note(_ vin: String) {
        if known.insert(vin).inserted { order.append(vin) }
    }

    /// The changed snapshots of `vins` and the checkpoint to commit with them.
    func changes(engine: RuleEngine, vins: Set<String>, position: Int64) throws
        -> (states: [String: Data], checkpoint: DecisionCommit.Checkpoint) {
        var states: [String: Data] = [:]
        for vin in vins {
            guard let snapshot = engine.snapshot(vin: vin) else { continue }
            let data = try encoder.encode(snapshot)
            if saved[vin] != data { states[vin] = data }
        }
        let state = try encoder.encode(CheckpointState(version: 1, now: engine.now, vehicles: order.filter { saved[$0] != nil || states[$0] != nil }))
        return (states, DecisionCommit.Checkpoint(position: position, at: engine.now.map(Timestamp.date), state: state))
    }

    /// After a commit: what is on disk now.
    mutating func committed(_ states: [String: Data]) {
        saved.merge(states) { _, new in new }
    }
}
