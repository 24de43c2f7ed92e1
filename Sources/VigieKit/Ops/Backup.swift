import Foundation
import GRDB
import VigieRuntime

/// `vigie backup --db FILE --to FILE` (or `--config FILE`, its `database:`;
/// docs/production.md): a consistent copy of a live SQLite database, taken while `vigie
/// serve` keeps writing.
///
/// SQLite's online backup API (through GRDB) copies every page inside one read
/// transaction of the source: in WAL mode that is a snapshot, so the copy holds exactly
/// the transactions committed before it started, and the server's writers never wait.
/// The copy is written to a temporary file beside the destination, switched to a
/// single-file journal (no `-wal` to carry along), checked with `PRAGMA integrity_check`
/// and only then renamed into place: a failed backup never leaves a half copy under the
/// destination's name.
package enum Backup {
    /// What a successful backup reports.
    package struct Report: Sendable {
        package var pages: Int
        package var bytes: Int64
        package var seconds: Double
        /// Rows in the copy's main tables (inbox, firing, action), to compare with `vigie log`.
        package var rows: [String: Int]
    }

    /// Why a backup failed; `usage` maps to exit status 64, the others to 1.
    package enum Failure: Error, CustomStringConvertible {
        case usage(String)
        case source(String)
        case copy(String)
        case integrity([String])

        package var description: String {
            switch self {
            case .usage(let text), .source(let text), .copy(let text): return text
            case .integrity(let lines):
                return "the copy failed PRAGMA integrity_check: \(lines.prefix(5).joined(separator: "; "))"
            }
        }
    }

    /// The SQLite database `vigie.yaml` names (`database:`), for `--config`. A PostgreSQL
    /// `store:` is backed up with PostgreSQL's own tools, which copy a live server
    /// consistently (`pg_dump`, `pg_basebackup`, a provider's snapshots): a clear error
    /// naming them, never a copy of a SQLite file nobody writes.
    package static func database(configPath: String,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        let loaded: (store: VigieConfig.Store, databasePath: String)
        do {
            loaded = try VigieConfig.loadStore(path: configPath, environment: environment)
        } catch {
            throw Failure.source("\(error)")
        }
        guard loaded.store == .sqlite else {
            throw Failure.source("--config \(configPath): the store is PostgreSQL; back it up with PostgreSQL's own tools: "
                + "pg_dump for a logical copy (pg_dump -Fc -f vigie.dump \"$VIGIE_DATABASE_URL\"), pg_basebackup or your "
                + "provider's snapshots for point-in-time recovery (docs/production.md \"Backups and restore\")")
        }
        return loaded.databasePath
    }

    package static func run(database: String, to destination: String, overwrite: Bool = false) throws -> Report {
        let started = Date()
        guard FileManager.default.fileExists(atPath: database) else {
            throw Failure.source("\(database): no such database")
        }
        let source = URL(fileURLWithPath: database).standardizedFileURL
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        guard source.path != target.path else { throw Failure.usage("--to must name another file than --db") }
        if FileManager.default.fileExists(atPath: target.path), !overwrite {
            throw Failure.usage("\(destination) already exists (pass --force to replace it)")
        }
        let folder = target.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure.usage("\(folder.path): no such folder for the copy")
        }
        let reader: DatabasePool
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            reader = try DatabasePool(path: source.path, configuration: configuration)
        } catch {
            throw Failure.source("\(database): cannot open the database: \(Self.message(error))")
        }
        let partial = folder.appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())")
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial.path + suffix) }
        }
        var pages = 0
        do {
            let copy = try DatabaseQueue(path: partial.path)
            try reader.backup(to: copy) { progress in pages = progress.totalPageCount }
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            let problems = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            guard problems == ["ok"] else { throw Failure.integrity(problems) }
            var rows: [String: Int] = [:]
            try copy.read { db in
                for table in ["inbox", "firing", "action"] where try db.tableExists(table) {
                    rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
                }
            }
            try copy.close()
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: partial, to: target)
            let size = (try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.int64Value ?? 0
            return Report(pages: pages, bytes: size, seconds: Date().timeIntervalSince(started), rows: rows)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure.copy("backup of \(database) to \(destination) failed: \(Self.message(error))")
        }
    }

    static func message(_ error: Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
