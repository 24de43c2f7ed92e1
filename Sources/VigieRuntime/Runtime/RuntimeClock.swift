import Foundation
import Synchronization

/// Where the live runtime's time comes from: the engine's timers, stale-data checks,
/// budgets' days, poll intervals and remote time-outs all read it. `vigie serve` uses
/// `SystemClock`; the demo and tests give a scaled or manual clock so that a simulated
/// day runs in seconds.
public protocol RuntimeClock: Sendable {
    func now() -> Date
    /// Returns at (or soon after) `until` on this clock; throws `CancellationError` when
    /// the task is cancelled.
    func sleep(until: Date) async throws
}

/// Wall-clock time.
public struct SystemClock: RuntimeClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        guard seconds > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// Time running `speed` times faster than real time from `start` (the demo's clock:
/// the same arithmetic as the simulator's `ScaledClock`, so both sides agree).
public struct ScaledRuntimeClock: RuntimeClock {
    public let start: Date
    public let speed: Double
    public let realStart: Date

    public init(start: Date, speed: Double, realStart: Date = Date()) {
        precondition(speed > 0, "speed must be positive")
        self.start = start
        self.speed = speed
        self.realStart = realStart
    }

    public func now() -> Date { start.addingTimeInterval(Date().timeIntervalSince(realStart) * speed) }

    public func sleep(until date: Date) async throws {
        let simulated = date.timeIntervalSince(now())
        guard simulated > 0 else { return try Task.checkCancellation() }
        try await Task.sleep(nanoseconds: UInt64(simulated / speed * 1_000_000_000))
    }
}

/// Time that moves only when a test moves it. `sleep(until:)` returns once the clock
/// has been moved to (or past) the instant.
public final class ManualRuntimeClock: RuntimeClock, Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func sleep(until date: Date) async throws {
        while now() < date {
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}
