import Foundation
import OutcomeStore
import PostgresNIO

// `vigie explain` and the console's trace page on PostgreSQL: the same answers as
// `OutcomeDatabase+Trace`/`+Explain` (`RuntimeStoreConformance+Pgops`).
extension PostgresStore {
    package func engineState(scope: String, vin: String) async throws -> (checkpoint: EngineCheckpointRecord?, vehicle: Data?) {
        try await withConnection { db in
            // One statement: the checkpoint and the vehicle's row from one snapshot.
            guard let row = try await db.rows("""
                SELECT c.position, c.at, c.state, c.updated_at, s.state FROM (SELECT 1) AS one
                LEFT JOIN engine_checkpoint c ON c.scope = \(scope)
                LEFT JOIN engine_state s ON s.scope = \(scope) AND s.vin = \(vin)
                """).first else { return (nil, nil) }
            let (position, at, state, updatedAt, vehicle) = try row.decode((Int64?, Date?, Data?, Date?, Data?).self)
            let checkpoint = position.map { position in
                EngineCheckpointRecord(scope: scope, position: position, at: at, state: state, updatedAt: updatedAt ?? Date())
            }
            return (checkpoint, vehicle)
        }
    }

    package func inboxVINs() async throws -> [String] {
        try await withConnection { db in
            try await db.rows("SELECT DISTINCT vin COLLATE \"C\" AS vin FROM inbox WHERE vin IS NOT NULL ORDER BY 1")
                .map { try $0.decode(String.self) }
        }
    }

    /// Once `vigie serve` has run partitions here (P recorded in `partition_config`), the
    /// vehicle's engine is its partition's: scope `base/p<N>`, observing partition N's rows
    /// only (docs/cluster.md "Partitions in `vigie serve`"). Before, the one engine `base`.
    package func engineScope(base: String, vin: String) async throws -> EngineScope {
        let recorded = try await withConnection { db in
            try await db.value("SELECT count FROM partition_config WHERE id = 1", as: Int.self)
        }
        guard let count = recorded else { return EngineScope(name: base) }
        let partition = PartitionLease.partition(ofVIN: vin, count: count)
        // A row naming no vehicle is written to partition 0 (`PGConnection.partition(ofVIN:)`).
        return EngineScope(name: "\(base)/p\(partition)") { other in
            other.map { PartitionLease.partition(ofVIN: $0, count: count) } ?? 0 == partition
        }
    }
}
