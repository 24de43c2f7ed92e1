import Foundation
import Logging
import OutcomeStore
import PostgresNIO
import PostgresStore

/// Where `vigie bench intake` commits: a SQLite file in a temporary folder (the default),
/// or a fresh database made on a PostgreSQL server (`--postgres URL`), dropped at the end.
final class IntakeBenchmarkStore {
    let committer: InboxCommitter
    /// One line naming the store and its durability, for the report.
    let description: String
    private let sqlite: (database: OutcomeDatabase, directory: URL)?
    private let postgres: (store: PostgresStore, run: Task<Void, Never>, admin: PostgresClient, adminRun: Task<Void, Never>,
                           name: String)?

    private init(committer: InboxCommitter, description: String, sqlite: (OutcomeDatabase, URL)?,
                 postgres: (PostgresStore, Task<Void, Never>, PostgresClient, Task<Void, Never>, String)?) {
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
        var settings = try PostgresSettings(url: url)
        let admin = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        let adminRun = Task { await admin.run() }
        let name = "vigie_bench_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        do {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).consumeAll()
        } catch {
            adminRun.cancel()
            throw IntakeBenchmarkStoreError("could not create a database on \(settings): \(String(reflecting: error))")
        }
        settings.database = name
        let store = PostgresStore(settings: settings, logger: logger)
        let run = Task { await store.run() }
        try await store.migrate()
        return IntakeBenchmarkStore(committer: InboxCommitter(store: store),
                                    description: "PostgreSQL \(settings.host):\(settings.port), synchronous_commit=on",
                                    sqlite: nil, postgres: (store, run, admin, adminRun, name))
    }

    /// Notifications in the inbox now.
    func storedCount() async throws -> Int {
        if let sqlite { return try await sqlite.database.writer.read { db in try InboxRecord.fetchCount(db) } }
        guard let postgres else { return 0 }
        let rows = try await postgres.store.client.query("SELECT count(*) FROM inbox", logger: Logger(label: "vigie.bench"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
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
        guard let postgres else { return }
        postgres.run.cancel()
        _ = await postgres.run.value
        let logger = Logger(label: "vigie.bench")
        _ = try? await postgres.admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(postgres.name) WITH (FORCE)"),
                                            logger: logger).consumeAll()
        postgres.adminRun.cancel()
        _ = await postgres.adminRun.value
    }
}

struct IntakeBenchmarkStoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PostgresRowSequence {
    /// Reads and drops every row.
    func consumeAll() async throws {
        for try await _ in self {}
    }
}
