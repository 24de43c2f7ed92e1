import Foundation
import GRDB

/// Copies the WAL into the database file from a second connection, beside the writer,
/// so that the receiver's commits do not pay for it, and keeps the WAL file under a size
/// limit (see `InboxCommitter`).
///
/// SQLite rewinds the WAL to its start — and, with `journal_size_limit`, truncates the
/// file back to the limit — only when a write transaction begins while every frame of
/// the WAL is already copied into the database. A passive checkpoint beside a writer that
/// never pauses always lags by the frames appended while it ran, so under a sustained
/// load the WAL would grow without end. When the file passes the limit, the writer
/// therefore pauses (`drainIfOverLimit`) for the one or two passive checkpoints that
/// copy the frames left; its next transaction starts the WAL over.
actor InboxCheckpointer {
    private let queue: DatabaseQueue
    private let walPath: String
    private let log: WALCheckpointLog
    /// WAL file size (bytes) above which the writer pauses for a full checkpoint.
    let limit: Int
    private var running: Task<Bool, Never>?
    /// Passive checkpoints run so far.
    private(set) var runs = 0
    /// Times the writer paused because the WAL passed the limit.
    private(set) var drains = 0
    /// Pauses that ended without every frame copied (a reader held an old snapshot).
    private(set) var incompleteDrains = 0

    /// Opens the second connection and turns the writer's auto-checkpoint off; nil for
    /// an in-memory database.
    static func make(for database: OutcomeDatabase, limit: Int) -> InboxCheckpointer? {
        guard let path = database.path,
              let queue = try? DatabaseQueue(path: path, configuration: OutcomeDatabase.makeConfiguration())
        else { return nil }
        do {
            try database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
                try db.execute(sql: "PRAGMA journal_size_limit = \(limit)")
            }
        } catch {
            return nil
        }
        let checkpointer = InboxCheckpointer(queue: queue, walPath: path + "-wal", limit: limit,
                                             log: database.walCheckpoints)
        checkpointer.startTicking()
        return checkpointer
    }

    private init(queue: DatabaseQueue, walPath: String, limit: Int, log: WALCheckpointLog) {
        self.queue = queue
        self.walPath = walPath
        self.log = log
        self.limit = limit
    }

    /// Checkpoints once a second while the checkpointer lives, for the writes that do not
    /// go through the committer (the engine's decisions, the outbox).
    private nonisolated func startTicking() {
        Task.detached { [weak self] in
            while true {
                try? await Task.sleep(for: .seconds(1))
                guard let self else { return }
                await self.kick()
            }
        }
    }

    /// Starts a passive checkpoint unless one is running (after each commit).
    func kick() {
        guard running == nil else { return }
        running = Task.detached { [queue] in
            let frames = try? await queue.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            await self.finished()
            guard let frames else { return false }
            return frames.walFrameCount == frames.checkpointedFrameCount
        }
    }

    private func finished() {
        running = nil
        runs += 1
        log.checkpointRan()
    }

    /// Returns once the checkpoint running now, if any, is over.
    func settle() async {
        if let current = running { _ = await current.value }
    }

    /// The WAL file's size in bytes (0 when there is none).
    nonisolated func walBytes() -> Int {
        var info = stat()
        return stat(walPath, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Called by the writer before a transaction: when the WAL file is over the limit,
    /// returns only once every frame is copied into the database (at most three passive
    /// checkpoints: a reader holding an old snapshot can keep frames from being copied,
    /// and the writer does not wait for it), so that the next transaction rewinds the WAL.
    func drainIfOverLimit() async {
        let bytes = walBytes()
        guard bytes > limit else { return }
        let started = ContinuousClock.now
        drains += 1
        var passes = 0
        func drained(complete: Bool) {
            log.drained(WALCheckpointLog.Drain(started: started, ended: .now, walBytes: bytes, passes: passes,
                                               complete: complete, writerHeld: .zero))
        }
        if let current = running { passes += 1; _ = await current.value }
        for _ in 0..<3 {
            kick()
            passes += 1
            if let run = running, await run.value { drained(complete: true); return }
        }
        incompleteDrains += 1
        drained(complete: false)
    }
}
