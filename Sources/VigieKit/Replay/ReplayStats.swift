/// Figures of one streaming replay (`vigie bench replay`): counts, and where the time
/// went. With the reader on its own thread, read and parse are that thread's, engine
/// and write the engine thread's, and they overlap.
public struct ReplayStats: Sendable {
    public var lines = 0, events = 0, decisions = 0, fired = 0
    /// Lines read by the fast path of `set` lines.
    public var fastLines = 0
    /// `status` and `message` lines read in place from their bytes (`JSONTape`).
    public var tapeLines = 0
    public var bytes = 0
    public var vehicles = 0
    /// Bytes of engine state (vehicles × state per vehicle).
    public var stateBytes = 0
    public var pipelined = true
    public var wallSeconds = 0.0
    /// In `read(2)`.
    public var readSeconds = 0.0
    /// Finding lines and parsing them: the reader thread's CPU time less its reads when
    /// pipelined (a thread waiting for room uses no CPU); on one thread, what is left of
    /// the wall time.
    public var parseSeconds = 0.0
    /// In the engine (observations, timers).
    public var engineSeconds = 0.0
    /// Taking the decisions from the engine (as `Decision` values), on its thread.
    public var takeSeconds = 0.0
    /// Rendering and writing decisions: the writer thread's CPU time when pipelined.
    public var writeSeconds = 0.0
    /// The reader waiting for room in the queue (the engine is behind), the engine
    /// waiting for a batch (the reader is behind).
    public var readerWaitSeconds = 0.0, engineWaitSeconds = 0.0

    public init() {}

    public var eventsPerSecond: Double { Double(events) / max(wallSeconds, 1e-9) }
}
