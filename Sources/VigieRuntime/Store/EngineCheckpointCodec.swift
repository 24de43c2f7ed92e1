import Foundation
import RuleEngine
import VehicleData

/// The one format of a saved engine state: a checkpoint row per scope (the engine's
/// clock) and one row per vehicle (its `VehicleSnapshot`, plus `order`: its place in the
/// order the engine first saw the vehicles, which breaks timer ties, EngineSnapshot).
///
/// Each vehicle carries its own place so that a step rewrites only the vehicles it
/// changed: the checkpoint stays a few bytes however large the fleet. (Earlier
/// checkpoints listed every VIN in order, rewritten at every step — O(fleet) bytes per
/// commit; such a list is still read when rows have no `order`.) A vehicle row is a
/// `VehicleSnapshot` with one more key, so readers of snapshots (console, explain)
/// read it unchanged.
package struct EngineCheckpointCodec: Sendable {
    private struct Checkpoint: Codable {
        var version: Int
        var now: Millis?
        /// Older checkpoints only: every VIN in first-seen order.
        var vehicles: [String]?
    }

    /// A vehicle row: the snapshot's keys and `order`, in one JSON object.
    private struct VehicleRow: Codable {
        var snapshot: VehicleSnapshot
        var order: Int?

        private enum Keys: String, CodingKey { case order }

        init(snapshot: VehicleSnapshot, order: Int?) {
            self.snapshot = snapshot
            self.order = order
        }

        init(from decoder: any Decoder) throws {
            snapshot = try VehicleSnapshot(from: decoder)
            order = try decoder.container(keyedBy: Keys.self).decodeIfPresent(Int.self, forKey: .order)
        }

        func encode(to encoder: any Encoder) throws {
            try snapshot.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(order, forKey: .order)
        }
    }

    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    package init() {}

    /// The checkpoint's state: version and clock.
    package func checkpoint(version: Int, now: Millis?) throws -> Data {
        try encoder.encode(Checkpoint(version: version, now: now, vehicles: nil))
    }

    /// One vehicle's row; `order` is its place in first-seen order.
    package func vehicle(_ snapshot: VehicleSnapshot, order: Int) throws -> Data {
        try encoder.encode(VehicleRow(snapshot: snapshot, order: order))
    }

    /// The saved snapshot, its vehicles in first-seen order, and each vehicle's place.
    /// Rows without a place (older files) take it from the checkpoint's list; rows in
    /// neither come last, by VIN.
    package func decode(checkpoint: Data, rows: [String: Data]) throws -> (snapshot: EngineSnapshot, order: [String: Int]) {
        let decoder = JSONDecoder()
        let head = try decoder.decode(Checkpoint.self, from: checkpoint)
        let listed = Dictionary((head.vehicles ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var decoded: [(order: Int?, row: VehicleRow)] = []
        decoded.reserveCapacity(rows.count)
        for (vin, data) in rows {
            let row = try decoder.decode(VehicleRow.self, from: data)
            // An older file: only vehicles its checkpoint lists were part of the state.
            if head.vehicles != nil, row.order == nil, listed[vin] == nil { continue }
            decoded.append((row.order ?? listed[vin], row))
        }
        decoded.sort { a, b in
            switch (a.order, b.order) {
            case let (x?, y?): return x != y ? x < y : a.row.snapshot.vin < b.row.snapshot.vin
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.row.snapshot.vin < b.row.snapshot.vin
            }
        }
        var order: [String: Int] = [:]
        for (i, item) in decoded.enumerated() { order[item.row.snapshot.vin] = i }
        let snapshot = EngineSnapshot(version: head.version, now: head.now, vehicles: decoded.map(\.row.snapshot))
        return (snapshot, order)
    }
}
