import Foundation
import Logging
import OutcomeStore
import PostgresStore

/// `vigie migrate --from vigie.sqlite --to postgres://…` (docs/cluster.md): copies a
/// SQLite deployment — inbox, decisions, actions and their attempts, the outbox, remote
/// progress, holds and the control journal, engine state and checkpoints, alerts,
/// notifications, dead letters — into an empty PostgreSQL database, in one transaction,
/// ids kept, so that `vigie serve` on PostgreSQL continues where the SQLite one stopped:
/// the same unprocessed inbox, the same queued and in-flight commands (reconciled as
/// after a restart), the same engine state.
///
/// The SQLite file's writer lock is held throughout (a running serve makes it fail before
/// anything is read), and on success the file is marked as moved: `vigie serve` then
/// refuses it, so the fleet is never served from both stores.
package enum Migrate {
    package struct Report: Sendable {
        /// Rows copied per PostgreSQL table.
        package var rows: [String: Int]
        /// The target, without its password.
        package var target: String
        package var seconds: Double
    }

    package enum Failure: Error, CustomStringConvertible {
        case usage(String)
        case failed(String)

        package var description: String {
            switch self {
            case .usage(let text), .failed(let text): return text
            }
        }
    }

    /// Seconds the first connection may take before migrate gives up (exit 1).
    static let connectTimeout: Double = 15

    package static func run(from path: String, to url: String, logger: Logger) async throws -> Report {
        let started = Date()
        let settings: PostgresSettings
        do {
            settings = try PostgresSettings(url: url)
        } catch {
            throw Failure.usage("--to: \(error)")
        }
        let target = "postgres://\(settings.username)@\(settings.host):\(settings.port)/\(settings.database ?? settings.username)"
        let lock: WriterLock
        do {
            lock = try WriterLock.acquire(databasePath: path)
        } catch {
            throw Failure.failed("\(path): \(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let database: OutcomeDatabase
        do {
            database = try OutcomeDatabase.openExisting(path: path)
        } catch {
            throw Failure.failed("\(error)")
        }
        if let moved = try database.movedTo() {
            throw Failure.failed("\(path) was already migrated to \(moved)")
        }
        let source = try SQLiteDeploymentSource(database: database)
        let version = try database.controlVersion()
        // One connection first: an unreachable server or a refused login fail at once, with
        // the reason (the pool behind `store` retries a refused connection without end).
        do {
            try await PostgresStore.connectOnce(settings, timeout: connectTimeout, logger: logger)
        } catch {
            throw Failure.failed("\(target): \(error)")
        }
        let store = PostgresStore(settings: settings, logger: logger)
        let client = Task { await store.run() }
        defer { client.cancel() }
        let rows: [String: Int]
        do {
            try await store.migrate()
            rows = try await store.importDeployment(from: source, controlVersion: version)
        } catch let error as ImportError {
            throw Failure.failed("\(error)")
        } catch {
            throw Failure.failed("\(target): \(String(reflecting: error))")
        }
        try database.markMoved(target: target, at: Date())
        return Report(rows: rows, target: target, seconds: Date().timeIntervalSince(started))
    }
}
