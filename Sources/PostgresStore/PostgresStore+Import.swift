import Foundation
import NIOCore
import OutcomeStore
import PostgresNIO

/// One value read from another store (`vigie migrate`'s SQLite file), converted to the
/// PostgreSQL column's type when written.
package enum ImportValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

/// Where `PostgresStore.importDeployment` reads: table and column names already in the
/// PostgreSQL spelling (snake_case), rows in pages.
package protocol DeploymentSource: Sendable {
    /// Table → its columns.
    func tables() throws -> [String: [String]]
    /// Up to `limit` rows of `table` after the row key `after` (0: from the start), each
    /// its key then the `columns`' values; empty when there are no more.
    func rows(table: String, columns: [String], after: Int64, limit: Int) throws -> [(key: Int64, values: [ImportValue])]
}

/// Why an import stopped (nothing was written: it is one transaction).
package enum ImportError: Error, CustomStringConvertible, Equatable {
    case notEmpty(table: String, rows: Int)
    case unknownTable(String)
    case unknownColumns(table: String, columns: [String])
    case badValue(table: String, column: String, type: String, value: String)

    package var description: String {
        switch self {
        case .notEmpty(let table, let rows):
            return "the PostgreSQL database already holds a deployment (\(table): \(rows) rows): migrate into an empty database"
        case .unknownTable(let table):
            return "table \(table) of the SQLite file has no counterpart in the PostgreSQL schema (is this vigie older than the file?)"
        case .unknownColumns(let table, let columns):
            return "table \(table): columns \(columns.joined(separator: ", ")) of the SQLite file have no counterpart in PostgreSQL"
        case .badValue(let table, let column, let type, let value):
            return "table \(table), column \(column): cannot store \(value) as \(type)"
        }
    }
}

extension PostgresStore {
    /// Tables the schema fills by itself (counters, the migration list, leases): never
    /// copied; the counters are set from the copied rows.
    static let importSkipped: Set<String> = [
        "vigie_migration", "inbox_counter", "partition_lease", "partition_member", "control_version",
    ]

    /// Copies a whole deployment into this (migrated, EMPTY) database in ONE transaction:
    /// every source table into the table of the same name, every column into the column
    /// of the same name, parents before children (foreign keys), ids kept; then the id
    /// sequences, the inbox counter and the control version continue after the copied
    /// rows. Returns the rows copied per table. `controlVersion`: the source's.
    package func importDeployment(from source: some DeploymentSource, controlVersion: Int64,
                                 pageSize: Int = 1_000) async throws -> [String: Int] {
        let wanted = try source.tables().filter { !Self.importSkipped.contains($0.key) }
        return try await transaction { db in
            // The target's tables, their columns' types, and the foreign keys between them.
            var types: [String: [String: String]] = [:]
            for row in try await db.rows("""
                SELECT table_name::text, column_name::text, udt_name::text FROM information_schema.columns
                WHERE table_schema = current_schema()
                """) {
                let (table, column, type) = try row.decode((String, String, String).self)
                types[table, default: [:]][column] = type
            }
            var parents: [String: Set<String>] = [:]
            for row in try await db.rows("""
                SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
                WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
                """) {
                let (child, parent) = try row.decode((String, String).self)
                if child != parent { parents[child, default: []].insert(parent) }
            }
            for (table, columns) in wanted {
                guard let target = types[table] else { throw ImportError.unknownTable(table) }
                let unknown = columns.filter { target[$0] == nil }
                if !unknown.isEmpty { throw ImportError.unknownColumns(table: table, columns: unknown.sorted()) }
            }
            for table in types.keys.sorted() where !Self.importSkipped.contains(table) {
                let rows = try await db.value(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), as: Int.self) ?? 0
                if rows > 0 { throw ImportError.notEmpty(table: table, rows: rows) }
            }
            var copied: [String: Int] = [:]
            for table in Self.parentsFirst(Array(wanted.keys), parents: parents) {
                let columns = wanted[table] ?? []
                let columnTypes = columns.map { types[table]?[$0] ?? "text" }
                let perPage = max(1, min(pageSize, 30_000 / max(1, columns.count)))
                var after: Int64 = 0
                var count = 0
                while true {
                    let page = try source.rows(table: table, columns: columns, after: after, limit: perPage)
                    guard let last = page.last else { break }
                    try await Self.insert(page.map(\.values), into: table, columns: columns, types: columnTypes, in: db)
                    count += page.count
                    after = last.key
                }
                copied[table] = count
            }
            // Ids continue after the copied rows.
            for (table, columns) in types where columns["id"] != nil && !Self.importSkipped.contains(table) {
                try await db.execute(PostgresQuery(unsafeSQL: """
                    SELECT setval(seq, m) FROM (SELECT pg_get_serial_sequence('\(table)', 'id') AS seq,
                        (SELECT max(id) FROM \(table)) AS m) s WHERE seq IS NOT NULL AND m IS NOT NULL
                    """))
            }
            try await db.execute("UPDATE inbox_counter SET last = (SELECT coalesce(max(id), 0) FROM inbox) WHERE id = 1")
            try await db.execute("UPDATE control_version SET version = greatest(version, \(controlVersion)) + 1 WHERE id = 1")
            return copied
        }
    }

    /// Tables ordered so that every table comes after the tables its foreign keys name.
    static func parentsFirst(_ tables: [String], parents: [String: Set<String>]) -> [String] {
        var done: [String] = [], seen: Set<String> = []
        func visit(_ table: String, _ path: Set<String>) {
            guard !seen.contains(table), !path.contains(table) else { return }
            for parent in (parents[table] ?? []).sorted() where tables.contains(parent) { visit(parent, path.union([table])) }
            seen.insert(table)
            done.append(table)
        }
        for table in tables.sorted() { visit(table, []) }
        return done
    }

    private static func insert(_ rows: [[ImportValue]], into table: String, columns: [String], types: [String],
                               in db: PGConnection) async throws {
        var bindings = PostgresBindings(capacity: rows.count * columns.count)
        var tuples: [String] = []
        var n = 0
        for row in rows {
            var marks: [String] = []
            for (index, value) in row.enumerated() {
                n += 1
                marks.append("$\(n)::\(types[index])")
                try bind(value, as: types[index], table: table, column: columns[index], into: &bindings)
            }
            tuples.append("(" + marks.joined(separator: ", ") + ")")
        }
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
        try await db.execute(PostgresQuery(unsafeSQL: sql, binds: bindings))
    }

    /// Binds `value` for a column of PostgreSQL type `type` (dates from SQLite's text,
    /// booleans from 0/1, bytes from blobs).
    private static func bind(_ value: ImportValue, as type: String, table: String, column: String,
                             into bindings: inout PostgresBindings) throws {
        let bad = { ImportError.badValue(table: table, column: column, type: type, value: "\(value)".prefix(60).description) }
        switch (value, type) {
        case (.null, _):
            bindings.appendNull()
        case (.text(let text), "timestamptz"), (.text(let text), "timestamp"):
            guard let date = ImportDates.parse(text) else { throw bad() }
            bindings.append(date)
        case (.integer(let seconds), "timestamptz"):
            bindings.append(Date(timeIntervalSince1970: TimeInterval(seconds)))
        case (.real(let seconds), "timestamptz"):
            bindings.append(Date(timeIntervalSince1970: seconds))
        case (.integer(let flag), "bool"):
            bindings.append(flag != 0)
        case (.integer(let number), "int2"), (.integer(let number), "int4"), (.integer(let number), "int8"):
            bindings.append(number)
        case (.integer(let number), "float8"), (.integer(let number), "float4"), (.integer(let number), "numeric"):
            bindings.append(Double(number))
        case (.real(let number), "float8"), (.real(let number), "float4"), (.real(let number), "numeric"):
            bindings.append(number)
        case (.blob(let data), "bytea"):
            bindings.append(ByteBuffer(bytes: data))
        case (.text(let text), "bytea"):
            bindings.append(ByteBuffer(string: text))
        case (.blob(let data), _):
            guard let text = String(data: data, encoding: .utf8) else { throw bad() }
            bindings.append(text)
        case (.text(let text), _):
            bindings.append(text)
        case (.integer(let number), _):
            bindings.append(String(number))
        case (.real(let number), _):
            bindings.append(String(number))
        }
    }
}

/// SQLite's dates as GRDB stores them: `yyyy-MM-dd HH:mm:ss.SSS` in UTC (also without
/// the fraction, or with a `T`).
enum ImportDates {
    static func parse(_ text: String) -> Date? {
        var s = text.replacingOccurrences(of: "T", with: " ")
        if s.hasSuffix("Z") { s.removeLast() }
        let formats = ["yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm"]
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: s) { return date }
        }
        return nil
    }
}
