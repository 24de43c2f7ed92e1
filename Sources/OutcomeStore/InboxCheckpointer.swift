import Foundation
import GRDB
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
    /// Told of every commit of the writer connection, whoever wrote.
    private let commits = CommitObserver()

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
        checkpointer.commits.onCommit = { [weak checkpointer] db in checkpointer?.committed(db) }
        do {
            try database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "PRAGMA journal_size_limit = \(limit)")
                // Held weakly by the writer: observes as long as the checkpointer lives.
                db.add(transactionObserver: checkpointer.commits, extent: .observerLifetime)
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
    }

    /// Once a second while the checkpointer lives, for the writes of other connections
    /// (such as `vigie pause`) and a WAL left over the limit by the last commit of a burst.
    private func startTicking() {
        Task.detached { [weak self] in
            while true {
                try? await Task.sleep(for: .seconds(1))
                guard let self else { return }
                if self.walBytes() > self.limit {
                    self.writer.asyncWriteWithoutTransaction { [weak self] db in self?.drainIfOverLimit(db) }
                } else {
                    self.kick()
                }
            }
        }
    }

    /// After each commit of the writer connection, on its queue (the receiver's, the
    /// engine's, the dispatcher's commits): drains the WAL if it passed the limit, else
    /// starts a background checkpoint unless one is running.
    private func committed(_ db: Database) {
        if !drainIfOverLimit(db) { kick() }
    }

    /// On the writer's queue, outside a transaction: when the WAL is over the limit and no
    /// background checkpoint runs, one passive checkpoint on the writer connection.
    /// Returns whether it drained (or a drain waits for the running checkpoint).
    @discardableResult
    private func drainIfOverLimit(_ db: Database) -> Bool {
        let bytes = walBytes()
        guard bytes > limit else { return false }
        let go = state.withLock { s -> Bool in
            guard !s.running, !s.draining, !s.drainedSinceCheckpoint else { return false }
            s.draining = true
            return true
        }
        guard go else { return false }
        let started = ContinuousClock.now
        let frames = try? db.checkpoint(.passive)
        let complete = frames.map { $0.walFrameCount == $0.checkpointedFrameCount } ?? false
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

/// Calls `onCommit` on the writer's queue after each commit of the writer connection.
private final class CommitObserver: TransactionObserver, Sendable {
    private let callback = Mutex<(@Sendable (Database) -> Void)?>(nil)

    var onCommit: (@Sendable (Database) -> Void)? {
        get { callback.withLock { $0 } }
        set { callback.withLock { $0 = newValue } }
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseDidCommit(_ db: Database) {
        onCommit?(db)
    }
}
