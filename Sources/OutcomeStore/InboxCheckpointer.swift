import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL into the database file from a second connection, beside the writer,
/// so that commits do not pay for it, and keeps the WAL file under a size limit (see
/// `InboxCommitter`).
///
/// SQLite rewinds the WAL to its start — and, with `journal_size_limit`, truncates the
/// file back to the limit — only when a write transaction begins while every frame of
/// the WAL is already copied into the database. A passive checkpoint beside writers that
/// never pause always lags by the frames appended while it ran, so under a sustained
/// load the WAL would grow without end. When a commit leaves the file over the limit,
/// the checkpointer therefore *drains* it: right after that commit, on the writer
/// connection and its queue, it runs one passive checkpoint. No write can add a frame
/// while it runs, so that one pass copies every frame left — those appended since the
/// last background checkpoint — and the next transaction, whoever writes it (the
/// receiver, the engine, the dispatcher), starts the WAL over. Every write waits for that
/// one pass; none waits for a background checkpoint (when one is running as the WAL passes
/// the limit, the drain follows the first commit after it ends).
///
/// A passive checkpoint never waits for readers: a reader holding an old snapshot (a long
/// `vigie log` or console query) only keeps the frames after it from being copied or the
/// WAL from starting over. The WAL then grows past the limit while the reader holds it,
/// and drains alternate with background checkpoints (never one per commit), so a reader
/// never holds the writer longer than one passive checkpoint. Durability is SQLite's: a
/// checkpoint syncs the database file before it counts frames as copied, and the WAL is
/// rewound only over copied frames (both connections use `synchronous=FULL`).
final class InboxCheckpointer: Sendable {
    private struct State {
        /// A background checkpoint is queued or running on the second connection.
        var running = false
        /// A drain is queued or running on the writer connection.
        var draining = false
        /// No background checkpoint ended since the last drain: the next drain waits for
        /// one, so that a reader keeping the WAL from being copied or started over does
        /// not get a drain per commit.
        var drainedSinceCheckpoint = false
        var runs = 0
        var drains = 0
        var incompleteDrains = 0
    }

    private let queue: DatabaseQueue
    private let writer: any DatabaseWriter
    private let walPath: String
    private let log: WALCheckpointLog
    /// WAL file size (bytes) above which the WAL is drained.
    let limit: Int
    private let state = Mutex(State())
    /// The context of the writer connection's WAL hook (see `make`), released with the
    /// hook when the checkpointer goes.
    private let hookContext: Unmanaged<HookContext>

    /// Passive checkpoints run so far on the second connection.
    var runs: Int { state.withLock { $0.runs } }
    /// Times the WAL was drained because it passed the limit.
    var drains: Int { state.withLock { $0.drains } }
    /// Drains that ended without every frame copied (a reader held an old snapshot).
    var incompleteDrains: Int { state.withLock { $0.incompleteDrains } }

    /// Opens the second connection, turns the writer's auto-checkpoint off and observes
    /// its commits; nil for an in-memory database.
    static func make(for database: OutcomeDatabase, limit: Int) -> InboxCheckpointer? {
        guard let path = database.path,
              let queue = try? DatabaseQueue(path: path, configuration: OutcomeDatabase.makeConfiguration())
        else { return nil }
        let checkpointer = InboxCheckpointer(queue: queue, writer: database.writer, walPath: path + "-wal",
                                             limit: limit, log: database.walCheckpoints)
        do {
            try database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "PRAGMA journal_size_limit = \(limit)")
                // SQLite calls the WAL hook after every commit of the connection, on its
                // queue, outside the transaction (its auto-checkpoint is such a hook, off
                // now). A GRDB transaction observer would do, but costs every statement.
                sqlite3_wal_hook(db.sqliteConnection, { context, connection, _, _ in
                    guard let context else { return SQLITE_OK }
                    Unmanaged<HookContext>.fromOpaque(context).takeUnretainedValue().checkpointer?.committed(connection)
                    return SQLITE_OK
                }, checkpointer.hookContext.toOpaque())
            }
        } catch {
            return nil
        }
        checkpointer.startTicking()
        return checkpointer
    }

    private init(queue: DatabaseQueue, writer: any DatabaseWriter, walPath: String, limit: Int, log: WALCheckpointLog) {
        self.queue = queue
        self.writer = writer
        self.walPath = walPath
        self.limit = limit
        self.log = log
        let context = HookContext()
        hookContext = Unmanaged.passRetained(context)
        context.checkpointer = self
    }

    deinit {
        // On the writer's queue, so that no hook call can run meanwhile.
        let context = hookContext
        writer.asyncWriteWithoutTransaction { db in
            sqlite3_wal_hook(db.sqliteConnection, nil, nil)
            context.release()
        }
    }

    /// Once a second while the checkpointer lives, for the writes of other connections
    /// (such as `vigie pause`) and a WAL left over the limit by the last commit of a burst.
    private func startTicking() {
        Task.detached { [weak self] in
            while true {
                try? await Task.sleep(for: .seconds(1))
                guard let self else { return }
                if self.walBytes() > self.limit {
                    self.writer.asyncWriteWithoutTransaction { [weak self] db in
                        guard let self else { return }
                        let drained = self.drainIfOverLimit {
                            let frames = try db.checkpoint(.passive)
                            return (frames.walFrameCount, frames.checkpointedFrameCount)
                        }
                        if !drained { self.kick() }   // the next tick drains after it
                    }
                } else {
                    self.kick()
                }
            }
        }
    }

    /// After each commit of the writer connection, on its queue, outside the transaction
    /// (the receiver's, the engine's, the dispatcher's commits): drains the WAL if it
    /// passed the limit; if it cannot yet (no background checkpoint ran since the last
    /// drain), starts one. The background checkpoints themselves follow the receiver's
    /// commits (`kick`) and the ticks.
    fileprivate func committed(_ connection: OpaquePointer?) {
        guard walBytes() > limit else { return }
        let drained = drainIfOverLimit {
            var walFrames: Int32 = 0, copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &walFrames, &copied)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
            return (Int(walFrames), Int(copied))
        }
        if !drained { kick() }
    }

    /// On the writer's queue, outside a transaction: when the WAL is over the limit and no
    /// background checkpoint runs, one passive checkpoint on the writer connection
    /// (`checkpoint`, returning the frames in the WAL and those copied). Returns whether
    /// it drained.
    @discardableResult
    private func drainIfOverLimit(_ checkpoint: () throws -> (walFrames: Int, copied: Int)) -> Bool {
        let bytes = walBytes()
        guard bytes > limit else { return false }
        let go = state.withLock { s -> Bool in
            guard !s.running, !s.draining, !s.drainedSinceCheckpoint else { return false }
            s.draining = true
            return true
        }
        guard go else { return false }
        let started = ContinuousClock.now
        let frames = try? checkpoint()
        let complete = frames.map { $0.walFrames == $0.copied } ?? false
        let ended = ContinuousClock.now
        state.withLock { s in
            s.draining = false
            s.drainedSinceCheckpoint = true
            s.drains += 1
            if !complete { s.incompleteDrains += 1 }
        }
        log.drained(WALCheckpointLog.Drain(started: started, ended: ended, walBytes: bytes, passes: 1,
                                           complete: complete, writerHeld: started.duration(to: ended)))
        return true
    }

    /// Starts a passive checkpoint on the second connection unless one (or a drain) runs.
    func kick() {
        let go = state.withLock { s -> Bool in
            guard !s.running, !s.draining else { return false }
            s.running = true
            return true
        }
        guard go else { return }
        queue.asyncWriteWithoutTransaction { [weak self] db in
            _ = try? db.checkpoint(.passive)
            guard let self else { return }
            state.withLock { s in
                s.running = false
                s.runs += 1
                s.drainedSinceCheckpoint = false
            }
            log.checkpointRan()
        }
    }

    /// Returns once the background checkpoint and the drain queued now, if any, are over.
    func settle() async {
        _ = try? await queue.writeWithoutTransaction { _ in }
        _ = try? await writer.writeWithoutTransaction { _ in }
    }

    /// The WAL file's size in bytes (0 when there is none).
    func walBytes() -> Int {
        var info = stat()
        return stat(walPath, &info) == 0 ? Int(info.st_size) : 0
    }
}

/// What the writer connection's WAL hook reaches the checkpointer through (held weakly:
/// the checkpointer owns the context).
private final class HookContext: Sendable {
    private struct Weak { weak var value: InboxCheckpointer? }
    private let target = Mutex(Weak())

    var checkpointer: InboxCheckpointer? {
        get { target.withLock { $0.value } }
        set { target.withLock { $0.value = newValue } }
    }
}
