/// Figures of one streaming replay (`vigie bench replay`): counts, and where the time
/// went. With the reader on its own thread, read and parse are that thread's, engine
/// and write the engine thread's, and they overlap.
package struct ReplayStats: Sendable {
    package var lines = 0, events = 0, decisions = 0, fired = 0
    /// Lines read by the fast path of `set` lines.
    package var fastLines = 0
    /// `status` and `message` lines read in place from their bytes (`JSONTape`).
    package var tapeLines = 0
    package var bytes = 0
    package var vehicles = 0
    /// Bytes of engine state (vehicles × state per vehicle).
    package var stateBytes = 0
    package var pipelined = true
    package var wallSeconds = 0.0
    /// In `read(2)`.
    package var readSeconds = 0.0
    /// Finding lines and parsing them: the reader thread's CPU time less its reads when
    /// pipelined (a thread waiting for room uses no CPU); on one thread, what is left of
    /// the wall time.
    package var parseSeconds = 0.0
    /// In the engine (observations, timers).
    package var engineSeconds = 0.0
    /// Taking the decisions from the engine (as `Decision` values), on its thread.
    package var takeSeconds = 0.0
    /// Rendering and writing decisions: the writer thread's CPU time when pipelined.
    package var writeSeconds = 0.0
    /// The reader waiting for room in the queue (the engine is behind), the engine
    /// waiting for a batch (the reader is behind).
    package var readerWaitSeconds = 0.0, engineWaitSeconds = 0.0

    package init() {}

    package var eventsPerSecond: Double { Double(events) / max(wallSeconds, 1e-9) }
}
