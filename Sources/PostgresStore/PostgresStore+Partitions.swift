import Foundation
import OutcomeStore
import PostgresNIO

// P per deployment, and the partition of rows written before partitions (docs/cluster.md).
extension PostgresStore {
    /// Records this store's P in the database the first time; afterwards an instance
    /// configured with another P is refused (its vehicles would map elsewhere: two
    /// instances could run one vehicle). Then gives their partition to the rows that have
    /// none yet (written before the `v5-partitions` migration, or copied by `vigie
    /// migrate`): the unprocessed inbox rows and the unfinished commands.
    package func preparePartitions() async throws {
        try await transaction { db in
            try await db.execute("LOCK TABLE partition_config IN EXCLUSIVE MODE")
            if let recorded = try await db.value("SELECT count FROM partition_config WHERE id = 1", as: Int.self) {
                guard recorded == partitions else { throw PostgresStoreError.partitionCount(database: recorded, configured: partitions) }
            } else {
                try await db.execute("INSERT INTO partition_config (id, count) VALUES (1, \(partitions))")
            }
            for (table, open) in [("inbox", "NOT processed"), ("outbox", "status <> 'done'")] {
                var groups: [Int: [Int64]] = [:]
                for row in try await db.rows(PostgresQuery(unsafeSQL:
                    "SELECT id, vin FROM \(table) WHERE partition IS NULL AND \(open)")) {
                    let (id, vin) = try row.decode((Int64, String?).self)
                    groups[db.partition(ofVIN: vin), default: []].append(id)
                }
                for (partition, ids) in groups {
                    var binds = PostgresBindings()
                    binds.append(partition)
                    binds.append(ids)
                    try await db.execute(PostgresQuery(unsafeSQL: "UPDATE \(table) SET partition = $1 WHERE id = ANY($2)",
                                                       binds: binds))
                }
            }
        }
    }
}

extension PostgresStore {
    /// Gives a partition's engine (scope `scope`) its first state from the one engine that
    /// ran before partitions (scope `base`: a single instance, or a SQLite file `vigie
    /// migrate` copied): the saved states of the partition's vehicles and the checkpoint
    /// (its inbox position and clock). Nothing when `scope` has a checkpoint already or
    /// `base` has none. Fenced like any write of the partition's data.
    package func seedEngineState(from base: String, to scope: String, partition: Int) async throws {
        try await transaction { db in
            try await Self.fence(vins: [String](), in: db)
            guard try await db.value("SELECT count(*) FROM engine_checkpoint WHERE scope = \(scope)", as: Int.self) == 0,
                  try await db.value("SELECT count(*) FROM engine_checkpoint WHERE scope = \(base)", as: Int.self) == 1
            else { return }
            let vins = try await db.rows("SELECT vin FROM engine_state WHERE scope = \(base)")
                .map { try $0.decode(String.self) }
                .filter { db.partition(ofVIN: $0) == partition }
            try await db.execute("""
                INSERT INTO engine_state (scope, vin, state, updated_at)
                SELECT \(scope), vin, state, updated_at FROM engine_state WHERE scope = \(base) AND vin = ANY(\(vins))
                """)
            try await db.execute("""
                INSERT INTO engine_checkpoint (scope, position, at, state, updated_at)
                SELECT \(scope), position, at, state, updated_at FROM engine_checkpoint WHERE scope = \(base)
                """)
        }
    }
}

extension PostgresStore {
    /// The last inbox id handed out (by any instance): when it moves, new rows may be in
    /// this instance's partitions although another instance received them.
    package func inboxHighWater() async throws -> Int64 {
        try await withConnection { db in
            try await db.value("SELECT last FROM inbox_counter WHERE id = 1", as: Int64.self) ?? 0
        }
    }
}

extension PostgresStore {
    /// The partitions of the inbox rows with ids in `(after, upTo]`: the engines to wake when
    /// the high-water id moved from `after` to `upTo` (a range scan of the primary key).
    package func inboxPartitions(after: Int64, upTo: Int64) async throws -> Set<Int> {
        try await withConnection { db in
            Set(try await db.rows("""
                SELECT DISTINCT partition FROM inbox WHERE id > \(after) AND id <= \(upTo) AND partition IS NOT NULL
                """).map { try $0.decode(Int.self) })
        }
    }
}
