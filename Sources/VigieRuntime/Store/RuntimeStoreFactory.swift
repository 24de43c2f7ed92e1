import Foundation
import Logging
import OutcomeStore
import PostgresStore

/// The store a configuration selects (`store:`), for `vigie serve`.
///
/// Wiring (in `vigie serve`, after the SQLite writer lock when the store is SQLite):
///
///     let selected = try RuntimeStoreFactory.open(config, logger: logger)
///     if let postgres = selected.postgres { services.append(postgres.client) }  // run it in the ServiceGroup
///     try await selected.prepare()   // PostgreSQL: waits for the pool, then migrates
///     let store: any RuntimeStore = selected.store
package struct SelectedRuntimeStore: Sendable {
    package let store: any RuntimeStore
    /// The PostgreSQL store, whose `client` must run (ServiceGroup) before `prepare()`.
    package let postgres: PostgresStore?
    /// The SQLite database, when that is the store.
    package let sqlite: OutcomeDatabase?

    /// Makes the store ready: the SQLite store was migrated when opened; the PostgreSQL
    /// store migrates now (its client must be running).
    package func prepare() async throws {
        try await postgres?.migrate()
    }
}

package enum RuntimeStoreFactory {
    /// Opens the configured store: the SQLite file `config.databasePath`, or a PostgreSQL
    /// store on `store.postgres.url` (not connected until its client runs).
    package static func open(_ config: VigieConfig, logger: Logger) throws -> SelectedRuntimeStore {
        switch config.store {
        case .sqlite:
            let database = try OutcomeDatabase(path: config.databasePath)
            if let target = try database.movedTo() {
                throw RuntimeStoreFactoryError.moved(path: config.databasePath, target: target)
            }
            return SelectedRuntimeStore(store: database, postgres: nil, sqlite: database)
        case .postgres(let url, let partitions):
            var settings = try PostgresSettings(url: url.reveal())
            settings.idleInTransactionTimeout = PostgresSettings.idleInTransactionTimeout(forLease: partitions.lease)
            let store = PostgresStore(settings: settings, partitions: partitions.count, logger: logger)
            return SelectedRuntimeStore(store: store, postgres: store, sqlite: nil)
        }
    }
}

/// The configured store cannot be used.
package enum RuntimeStoreFactoryError: Error, CustomStringConvertible, Equatable {
    /// `vigie migrate` copied this SQLite file to PostgreSQL: serving it would split the fleet
    /// between two stores.
    case moved(path: String, target: String)

    package var description: String {
        switch self {
        case .moved(let path, let target):
            return "\(path) was migrated to PostgreSQL (\(target)) by vigie migrate: configure store: {postgres: {url: …}} "
                + "(docs/cluster.md); serving this file would split the deployment between two stores"
        }
    }
}
