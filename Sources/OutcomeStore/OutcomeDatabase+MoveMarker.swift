import Foundation
import GRDB

/// The mark `vigie migrate` leaves in a database it copied to PostgreSQL
/// (docs/cluster.md): from then on `vigie serve` refuses the file — two stores for one
/// fleet would be a mixed setup — and says where the deployment went.
extension OutcomeDatabase {
    /// The marker's table (not part of the schema's migrations: only a moved file has it).
    package static let movedMarkerTable = "vigieMovedToPostgres"

    /// Marks this database as moved to `target` (a URL without its password).
    package func markMoved(target: String, at: Date) throws {
        try writer.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS \(Self.movedMarkerTable) (target TEXT NOT NULL, movedAt DATETIME NOT NULL)
                """)
            try db.execute(sql: "INSERT INTO \(Self.movedMarkerTable) (target, movedAt) VALUES (?, ?)",
                           arguments: [target, at])
        }
    }

    /// Where this database's deployment was moved, if it was.
    package func movedTo() throws -> String? {
        try writer.read { db in
            guard try db.tableExists(Self.movedMarkerTable) else { return nil }
            return try String.fetchOne(db, sql: "SELECT target FROM \(Self.movedMarkerTable) ORDER BY rowid DESC LIMIT 1")
        }
    }
}
