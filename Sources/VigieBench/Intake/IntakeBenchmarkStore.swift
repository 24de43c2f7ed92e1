import Foundation
import Logging
import OutcomeStore

/// Where `vigie bench intake` commits: a SQLite file in a temporary folder (the default),
/// or a fresh database made on a PostgreSQL server (`--postgres URL`), dropped at the end.
final class IntakeBenchmarkStore {
    let committer: InboxCommitter
    /// One line naming the store and its durability, for the report.
    let description: String
    private let sqlite: (database: OutcomeDatabase, directory: URL)?
    private let postgres: BenchPostgresDatabase?

    private init(committer: InboxCommitter, description: String, sqlite: (OutcomeDatabase, URL)?,
                 postgres: BenchPostgresDatabase?) {
        self.committer = committer
        self.description = description
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// A SQLite inbox in a new temporary folder.
    static func sqlite(backgroundCheckpoints: Bool) throws -> IntakeBenchmarkStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try OutcomeDatabase(path: directory.appendingPathComponent("intake.sqlite").path)
        return IntakeBenchmarkStore(committer: InboxCommitter(database: database, backgroundCheckpoints: backgroundCheckpoints),
                                    description: "SQLite WAL synchronous=FULL", sqlite: (database, directory), postgres: nil)
    }

    /// A new database `vigie_bench_…` on the server of `url` (its user needs CREATEDB), migrated
    /// as `vigie serve` does; every connection commits with `synchronous_commit = on`.
    static func postgres(url: String, logger: Logger) async throws -> IntakeBenchmarkStore {
        let database = try await BenchPostgresDatabase.create(url: url, logger: logger)
        return IntakeBenchmarkStore(committer: InboxCommitter(store: database.store),
                                    description: "PostgreSQL \(database.settings.host):\(database.settings.port), synchronous_commit=on",
                                    sqlite: nil, postgres: database)
    }

    /// Notifications in the inbox now.
    func storedCount() async throws -> Int {
        if let sqlite { return try await sqlite.database.writer.read { db in try InboxRecord.fetchCount(db) } }
        return try await postgres?.count("SELECT count(*) FROM inbox") ?? 0
    }

    /// The SQLite WAL's size (bytes); 0 on PostgreSQL.
    var walBytes: Int {
        guard let sqlite else { return 0 }
        let path = sqlite.directory.appendingPathComponent("intake.sqlite-wal").path
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    var isPostgres: Bool { postgres != nil }

    /// Removes the SQLite folder, or stops the client and drops the PostgreSQL database.
    func close() async {
        if let sqlite { try? FileManager.default.removeItem(at: sqlite.directory) }
        await postgres?.close()
    }
}
