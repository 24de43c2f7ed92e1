import Foundation
import GRDB

/// The one type that owns Vigie's SQLite database: decisions (firings and
/// suppressions), actions and their outcomes, the engine's durable state, the
/// notification inbox, dead letters and the command outbox.
///
/// Its initialiser runs the append-only migrations, so an unmigrated database cannot
/// exist. Files are opened in WAL mode with `synchronous=FULL` (by default): a
/// transaction that returned is on disk, which is what lets the receiver answer 200
/// only after a notification is stored.
package final class OutcomeDatabase: Sendable {
    /// The connection (a `DatabasePool` for files, a `DatabaseQueue` in memory).
    package let writer: any DatabaseWriter
    /// The file's path, or nil for an in-memory database.
    package let path: String?
    /// Shares one transaction — one commit, one sync — among the busy writers of
    /// `vigie serve` (inbox groups, engine steps, claims, acceptances): `WriteCoordinator`.
    package let coordinator: WriteCoordinator
    /// What the background WAL checkpoints and drains did (`InboxCheckpointer`).
    package let walCheckpoints = WALCheckpointLog()

    /// How hard a commit holds on to the disk.
    package enum Durability: Sendable {
        /// `synchronous=FULL`: a returned commit survives a power loss (the inbox needs it).
        case full
        /// `synchronous=NORMAL`: commits stay atomic and survive a crash of the process,
        /// but the last ones may be lost on a power loss (replays that can be rerun).
        case normal
    }

    /// Opens (creating if needed) the database file at `path` and migrates it.
    package convenience init(path: String, durability: Durability = .full) throws {
        let pool = try DatabasePool(path: path, configuration: Self.makeConfiguration(durability: durability))
        // GRDB switches a pool's connections to `synchronous=NORMAL` once in WAL mode
        // (after `prepareDatabase`); the writer connection is set back here.
        let pragma = durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"
        try pool.writeWithoutTransaction { db in try db.execute(sql: pragma) }
        try self.init(writer: pool, path: path)
    }

    /// Wraps an existing connection (tests pass an in-memory `DatabaseQueue`) and migrates it.
    package init(writer: any DatabaseWriter, path: String? = nil) throws {
        self.writer = writer
        self.path = path
        coordinator = WriteCoordinator(writer: writer)
        try Self.migrator.migrate(writer)
    }

    /// A fresh, migrated in-memory database.
    package static func inMemory() throws -> OutcomeDatabase {
        try OutcomeDatabase(writer: DatabaseQueue(configuration: makeConfiguration()))
    }

    /// Opens a database that must already exist (for readers such as `vigie log`):
    /// a missing file is an error instead of a new empty database.
    package static func openExisting(path: String) throws -> OutcomeDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw OutcomeStoreError.missingDatabase(path)
        }
        do {
            return try OutcomeDatabase(path: path)
        } catch let error as DatabaseError {
            throw OutcomeStoreError.unreadableDatabase(path, error.message ?? "\(error.resultCode)")
        }
    }

    /// The configuration every connection uses: foreign keys on, `synchronous=FULL`,
    /// and a busy timeout so a second process (e.g. `vigie log` while `serve` runs) waits
    /// instead of failing.
    package static func makeConfiguration(_ base: Configuration = Configuration(),
                                         durability: Durability = .full) -> Configuration {
        var config = base
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        let pragma = durability == .full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: pragma)
        }
        return config
    }
}

/// Errors opening or using the store that a user can act on.
package enum OutcomeStoreError: Error, Equatable, CustomStringConvertible {
    case missingDatabase(String)
    case unreadableDatabase(String, String)
    case unknownAction(Int64)
    case unknownOutboxItem(Int64)
    /// The outbox item cannot be claimed for a POST, and why (not queued any more, or its
    /// vehicle has another command in flight).
    case notClaimable(Int64, String)

    package var description: String {
        switch self {
        case .missingDatabase(let path): return "no such database: \(path)"
        case .unreadableDatabase(let path, let why): return "cannot open database \(path): \(why)"
        case .unknownAction(let id): return "no action with id \(id)"
        case .unknownOutboxItem(let id): return "no outbox item with id \(id)"
        case .notClaimable(let id, let status): return "outbox item \(id) not claimed: \(status)"
        }
    }
}
