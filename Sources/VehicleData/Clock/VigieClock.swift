import Foundation

/// Where time comes from, for every part of Vigie that reads it: the live runtime (the
/// engine's timers, stale-data checks, budgets' days, poll intervals, remote time-outs),
/// the simulator (it advances its world to `now()` on every tick) and the demo, which
/// gives both the same clock so that they agree on time.
///
/// `SystemClock` is wall-clock time; `ManualClock` moves only when a test moves it;
/// `ScaledClock` runs faster than real time from a start instant (`vigie sim`, accelerated
/// runs).
public protocol VigieClock: Sendable {
    func now() -> Date
    /// Returns at (or soon after) `until` on this clock; throws `CancellationError` when
    /// the task is cancelled.
    func sleep(until: Date) async throws
}
