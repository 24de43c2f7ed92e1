import Foundation
import OutcomeStore
import PostgresNIO

/// What `vigie doctor` reads of a PostgreSQL store (docs/production.md "Doctor"): the
/// server, how far its schema is, and the partition count recorded there. Read only: the
/// doctor never migrates.
package struct PostgresHealth: Sendable, Equatable {
    /// `server_version` (e.g. `16.4 (Debian 16.4-1)`).
    package var serverVersion: String
    /// Migrations of this build applied to the database, of `known`.
    package var applied: Int
    package var known: Int
    /// Migrations the database has that this build does not know (a newer vigie ran).
    package var unknown: [String]
    /// P as recorded by the first `vigie serve` with partitions; nil before.
    package var partitions: Int?
}

extension PostgresStore {
    package func health() async throws -> PostgresHealth {
        try await withConnection { db in
            let version = try await db.value("SELECT current_setting('server_version')", as: String.self) ?? "?"
            var identifiers: [String] = []
            if try await db.value("SELECT to_regclass('vigie_migration') IS NOT NULL", as: Bool.self) == true {
                identifiers = try await db.rows("SELECT identifier FROM vigie_migration").map { try $0.decode(String.self) }
            }
            var partitions: Int?
            if try await db.value("SELECT to_regclass('partition_config') IS NOT NULL", as: Bool.self) == true {
                partitions = try await db.value("SELECT count FROM partition_config WHERE id = 1", as: Int.self)
            }
            let known = Set(Self.migrations.map(\.id))
            return PostgresHealth(serverVersion: version, applied: identifiers.filter(known.contains).count, known: known.count,
                                  unknown: identifiers.filter { !known.contains($0) }.sorted(), partitions: partitions)
        }
    }
}
