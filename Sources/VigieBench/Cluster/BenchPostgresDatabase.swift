import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// A fresh database `vigie_bench_…` made on the server of a `postgres://` URL (its user
/// needs CREATEDB) for one benchmark run, migrated as `vigie serve` does, and dropped by
/// `close()`. Every connection commits with `synchronous_commit = on`.
final class BenchPostgresDatabase: Sendable {
    let settings: PostgresSettings
    let store: PostgresStore
    let logger: Logger
    private let name: String
    private let admin: PostgresClient
    private let tasks: [Task<Void, Never>]

    private init(settings: PostgresSettings, store: PostgresStore, logger: Logger, name: String, admin: PostgresClient,
                 tasks: [Task<Void, Never>]) {
        self.settings = settings
        self.store = store
        self.logger = logger
        self.name = name
        self.admin = admin
        self.tasks = tasks
    }

    static func create(url: String, logger: Logger) async throws -> BenchPostgresDatabase {
        var settings = try PostgresSettings(url: url)
        let admin = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        let adminRun = Task { await admin.run() }
        let name = "vigie_bench_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        do {
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).consumeAll()
        } catch {
            adminRun.cancel()
            throw BenchPostgresError("could not create a database on \(settings): \(String(reflecting: error))")
        }
        settings.database = name
        let store = PostgresStore(settings: settings, logger: logger)
        let run = Task { await store.run() }
        let database = BenchPostgresDatabase(settings: settings, store: store, logger: logger, name: name, admin: admin,
                                             tasks: [run, adminRun])
        do {
            try await store.migrate()
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Another store (its own pool) on the same database, run until `close()`: one per
    /// simulated instance.
    func secondStore() -> (PostgresStore, Task<Void, Never>) {
        let store = PostgresStore(settings: settings, logger: logger)
        return (store, Task { await store.run() })
    }

    /// One integer from a query (`SELECT count(*) …`).
    func count(_ sql: String) async throws -> Int {
        let rows = try await store.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    /// Stops the store's client and drops the database.
    func close() async {
        tasks[0].cancel()
        _ = await tasks[0].value
        _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
            .consumeAll()
        tasks[1].cancel()
        _ = await tasks[1].value
    }
}

struct BenchPostgresError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PostgresRowSequence {
    /// Reads and drops every row.
    func consumeAll() async throws {
        for try await _ in self {}
    }
}
