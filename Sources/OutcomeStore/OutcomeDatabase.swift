import Foundation
import GRDB

/// The one type that owns Vigie's SQLite database: decisions (firings and
/// suppressions), actions and their outcomes, the engine's durable state, the
/// notification inbox, dead letters and the command outbox.
///
/// Its initialiser runs the append-only migrations, so an unmigrated database cannot
/// exist. Files are opened in WAL mode with `synchronous=FULL`: a transaction that
/// returned is on disk, which is what lets the receiver answer 200 only after a
/// notification is stored.
public final class OutcomeDatabase: Sendable {
    /// The connection (a `DatabasePool` for files, a `DatabaseQueue` in memory).
    public let writer: any DatabaseWriter
    /// The file's path, or nil for an in-memory database.
    public let path: String?

    /// Opens (creating if needed) the database file at `path` and migrates it.
    public convenience init(path: String) throws {
        let pool = try DatabasePool(path: path, configuration: Self.makeConfiguration())
        try self.init(writer: pool, path: path)
    }

    /// Wraps an existing connection (tests pass an in-memory `DatabaseQueue`) and migrates it.
    public init(writer: any DatabaseWriter, path: String? = nil) throws {
        self.writer = writer
        self.path = path
        try Self.migrator.migrate(writer)
    }

    /// A fresh, migrated in-memory database.
    public static func inMemory() throws -> OutcomeDatabase {
        try OutcomeDatabase(writer: DatabaseQueue(configuration: makeConfiguration()))
    }

    /// Opens a database that must already exist (for readers such as `vigie log`):
    /// a missing file is an error instead of a new empty database.
    public static func openExisting(path: String) throws -> OutcomeDatabase {
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
    public static func makeConfiguration(_ base: Configuration = Configuration()) -> Configuration {
        var config = base
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }
}

/// Errors opening or using the store that a user can act on.
public enum OutcomeStoreError: Error, Equatable, CustomStringConvertible {
    case missingDatabase(String)
    case unreadableDatabase(String, String)
    case unknownAction(Int64)
    case unknownOutboxItem(Int64)

    public var description: String {
        switch self {
        case .missingDatabase(let path): return "no such database: \(path)"
        case .unreadableDatabase(let path, let why): return "cannot open database \(path): \(why)"
        case .unknownAction(let id): return "no action with id \(id)"
        case .unknownOutboxItem(let id): return "no outbox item with id \(id)"
        }
    }
}
