import Foundation
import Logging
import OutcomeStore
import PostgresStore
import VigieRuntime

/// The store an operator command reads or writes (`vigie pause`, `resume`, `send`, `log`,
/// `explain`): the SQLite file `--db FILE`, or the store of `--config vigie.yaml` — its
/// `database:`, or its `store: {postgres: …}` (docs/cluster.md). Only the store part of
/// the configuration is read (`VigieConfig.loadStore`). Both are used through the same
/// protocols, so each command gives the same output, exit codes and errors on either.
package enum CommandStore: Sendable {
    case sqlite(path: String)
    case postgres(PostgresSettings, partitions: Int)

    /// Seconds a command waits for PostgreSQL to answer before it gives up (exit 1).
    static let connectTimeout: Double = 15

    /// How messages name it: the file, or the URL without its password.
    package var name: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let settings, _): return settings.description
        }
    }

    /// `--db` or `--config` (exactly one is given; the caller checks).
    package static func resolve(databasePath: String?, configPath: String?,
                                environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CommandStore {
        if let configPath {
            let (store, path) = try VigieConfig.loadStore(path: configPath, environment: environment)
            switch store {
            case .sqlite: return .sqlite(path: path)
            case .postgres(let url, let partitions):
                return .postgres(try PostgresSettings(url: url.reveal()), partitions: partitions.count)
            }
        }
        return .sqlite(path: databasePath ?? "")
    }

    /// Runs `body` on the store: the SQLite file must exist (it is never created, and is
    /// migrated when older); PostgreSQL is connected for the time of `body` and its schema
    /// brought up to date first (as `vigie serve` does: idempotent, under an advisory lock).
    package func with<T: Sendable>(_ body: (any ConsoleStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let path):
            return try await body(try OutcomeDatabase.openExisting(path: path))
        case .postgres(let settings, let partitions):
            var logger = Logger(label: "vigie.command.postgres")
            logger.logLevel = .critical
            let store = PostgresStore(settings: settings, partitions: partitions, logger: logger)
            // One connection first: a refused port, an unknown host or a refused login fail
            // at once, with the reason (the pool would retry them without end).
            do {
                try await PostgresStore.connectOnce(settings, timeout: Self.connectTimeout, logger: logger)
            } catch {
                throw CommandStoreError.unreachable(name, "\(error)")
            }
            let client = Task { await store.run() }
            defer { client.cancel() }
            // The pool retries a refused connection without end: a command gives up instead.
            let connected = await withTaskGroup(of: String?.self) { group in
                group.addTask {
                    do {
                        try await store.migrate()
                        return nil
                    } catch {
                        return String(reflecting: error)
                    }
                }
                group.addTask {
                    try? await Task.sleep(nanoseconds: UInt64(Self.connectTimeout * 1_000_000_000))
                    return "no connection within \(Int(Self.connectTimeout)) s"
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            if let failure = connected { throw CommandStoreError.unreachable(name, failure) }
            return try await body(store)
        }
    }
}
