import Foundation
import Logging
import OutcomeStore
import PostgresNIO

/// `RuntimeStore` on PostgreSQL (`store: {postgres: {url: …}}`): several `vigie serve`
/// can share one database, so the invariants SQLite got from its single writer are kept
/// by the database itself:
/// - a dedup key is stored once: a unique index, and each batch is one multi-row
///   `INSERT … ON CONFLICT DO NOTHING` committed with `synchronous_commit = on`;
/// - one command in flight per vehicle: a partial unique index on `outbox(vin)` where
///   `status = 'inFlight'`; a claim locks its row (`FOR UPDATE`) and succeeds only while
///   the row is still `queued`;
/// - one attempt number per command: `UNIQUE (action_id, attempt)`;
/// - one open hold per kind and scope: a partial unique index where `resumed_at IS NULL`;
/// - a claim marks its action `sending` in its own transaction, which `commandsSent`
///   counts: budgets never miss a command being sent;
/// - the inbox is read in commit order (see `appendIntake`).
///
/// The `PostgresClient` must run for the store to work: pass `client` to the
/// `ServiceGroup` (it is a ServiceLifecycle `Service`), or call `run()` in a task.
/// `open` runs the migrations (one ordered list, `PostgresStore+Migrations.swift`).
package final class PostgresStore: RuntimeStore {
    package let client: PostgresClient
    let logger: Logger
    /// P: every inbox and outbox row is written with its vehicle's partition among
    /// `partitions` (`PartitionLease.partition(ofVIN:count:)`); fixed per deployment
    /// (`checkPartitionCount`).
    package let partitions: Int
    /// Where `client` connects, when the store was made from settings.
    private let settings: PostgresSettings?

    package init(client: PostgresClient, partitions: Int = 64, logger: Logger) {
        precondition(partitions > 0, "a partition count is positive")
        self.client = client
        self.partitions = partitions
        self.logger = logger
        settings = nil
    }

    /// A store on `settings`' database; call `run()` (or run `client` in a ServiceGroup),
    /// then `migrate()`.
    package init(settings: PostgresSettings, partitions: Int = 64, logger: Logger) {
        precondition(partitions > 0, "a partition count is positive")
        client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        self.partitions = partitions
        self.logger = logger
        self.settings = settings
    }

    /// A store on the same database with a client of its own holding one connection, for
    /// the partition leases (docs/cluster.md): renewals never wait for the shared pool,
    /// however busy the engines, receivers and dispatchers keep it. Its `client` must run
    /// too. A store made from a client alone has no settings to copy: it returns itself.
    package func leaseStore() -> PostgresStore {
        guard var settings else { return self }
        settings.maximumConnections = 1
        settings.minimumConnections = 1
        settings.applicationName = "vigie-leases"
        return PostgresStore(settings: settings, partitions: partitions, logger: logger)
    }

    /// Runs the client's connection pool until the task is cancelled (or the ServiceGroup
    /// shuts down gracefully).
    package func run() async {
        await client.run()
    }

    /// Brings the schema up to date (idempotent; safe when several instances start at once).
    package func migrate() async throws {
        try await Self.migrate(client: client, logger: logger)
    }

    package func ping() async throws {
        try await withConnection { db in _ = try await db.rows("SELECT 1") }
    }

    // MARK: Connections and transactions

    /// Runs `body` on one pooled connection.
    func withConnection<T: Sendable>(_ body: (PGConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(PGConnection(connection: connection, logger: logger, partitions: partitions))
        }
    }

    /// Runs `body` in one transaction (READ COMMITTED): committed when it returns, rolled
    /// back when it throws, and the error it threw is rethrown as it is.
    ///
    /// A connection whose transaction state is unknown — BEGIN, COMMIT or ROLLBACK failed
    /// while the connection stayed open — is closed, not given back to the pool as it is:
    /// the next caller's BEGIN would only warn, and its statements would run inside the
    /// transaction left open (holding its locks, committed or lost with it). With
    /// postgres-nio 1.33 a statement fails only when the server refused it or the
    /// connection closed, so this guards against a client that one day stops a statement
    /// half-way (a cancelled round trip).
    func transaction<T: Sendable>(_ body: (PGConnection) async throws -> T) async throws -> T {
        try await withConnection { db in
            do {
                try await db.execute("BEGIN")
            } catch {
                db.discard()
                throw Self.translate(error)
            }
            let value: T
            do {
                value = try await body(db)
            } catch {
                do {
                    try await db.execute("ROLLBACK")
                } catch {
                    db.discard()
                }
                throw Self.translate(error)
            }
            do {
                try await db.execute("COMMIT")
            } catch {
                db.discard()
                throw Self.translate(error)
            }
            return value
        }
    }

    /// A unique violation of the one-in-flight index is a refused claim; other errors
    /// pass as they are.
    static func translate(_ error: any Error) -> any Error {
        error
    }
}

/// One connection with the store's logger, and the few ways the store queries it.
struct PGConnection {
    let connection: PostgresConnection
    let logger: Logger
    /// The store's P (rows are written with their vehicle's partition).
    var partitions: Int = 64

    /// The partition of a row's vehicle (0 for a row naming none).
    func partition(ofVIN vin: String?) -> Int {
        vin.map { PartitionLease.partition(ofVIN: $0, count: partitions) } ?? 0
    }

    /// Closes the connection: the pool drops it and opens a new one when needed.
    func discard() {
        connection.close().whenComplete { _ in }
    }

    func execute(_ query: PostgresQuery) async throws {
        try await untilClosed { [connection, logger] in try await connection.query(query, logger: logger).consume() }
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await untilClosed { [connection, logger] in try await connection.query(query, logger: logger).collect() }
    }

    /// The first column of the first row, or nil when there is no row.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T? {
        guard let row = try await rows(query).first else { return nil }
        return try row.decode(T.self)
    }
}

extension PostgresRowSequence {
    /// Reads and drops every row (a statement's result must be consumed).
    func consume() async throws {
        for try await _ in self {}
    }
}

extension PSQLError {
    /// The server's SQLSTATE (`23505` for a unique violation), when the server sent one.
    var sqlState: String? { serverInfo?[.sqlState] }
    /// The constraint a server error names, if any.
    var constraint: String? { serverInfo?[.constraintName] }
}
