import Foundation
import GRDB
import OutcomeStore
import PostgresStore

/// `vigie migrate`'s reading side: the tables of a SQLite outcome database with their
/// names in PostgreSQL's spelling (`actionAttempt.remoteActionId` →
/// `action_attempt.remote_action_id`), read in rowid pages.
struct SQLiteDeploymentSource: DeploymentSource {
    let database: OutcomeDatabase
    /// GRDB's and SQLite's own tables, and the marker `vigie migrate` leaves.
    static let internalTables: Set<String> = ["grdb_migrations", "sqlite_sequence", OutcomeDatabase.movedMarkerTable]

    /// PostgreSQL name → SQLite name, for tables and for each table's columns.
    private let names: [String: (sqlite: String, columns: [String: String])]

    init(database: OutcomeDatabase) throws {
        self.database = database
        names = try database.writer.read { db in
            var out: [String: (String, [String: String])] = [:]
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
            for table in tables where !Self.internalTables.contains(table) {
                var columns: [String: String] = [:]
                for column in try db.columns(in: table) { columns[Self.snake(column.name)] = column.name }
                out[Self.snake(table)] = (table, columns)
            }
            return out
        }
    }

    func tables() throws -> [String: [String]] {
        names.mapValues { Array($0.columns.keys).sorted() }
    }

    func rows(table: String, columns: [String], after: Int64, limit: Int) throws -> [(key: Int64, values: [ImportValue])] {
        guard let source = names[table] else { return [] }
        let list = columns.map { "\"\(source.columns[$0] ?? $0)\"" }.joined(separator: ", ")
        return try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, \(list) FROM "\(source.sqlite)" WHERE rowid > ? ORDER BY rowid LIMIT ?
                """, arguments: [after, limit]).map { row in
                let values = (1...columns.count).map { index -> ImportValue in
                    switch (row[index] as DatabaseValue).storage {
                    case .null: return .null
                    case .int64(let value): return .integer(value)
                    case .double(let value): return .real(value)
                    case .string(let value): return .text(value)
                    case .blob(let value): return .blob(value)
                    }
                }
                return (row[0] as Int64, values)
            }
        }
    }

    /// `remoteActionId` → `remote_action_id`.
    static func snake(_ name: String) -> String {
        var out = ""
        for character in name {
            if character.isUppercase {
                if !out.isEmpty { out.append("_") }
                out.append(Character(character.lowercased()))
            } else {
                out.append(character)
            }
        }
        return out
    }
}
