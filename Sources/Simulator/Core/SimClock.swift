import Foundation
import Synchronization

/// Where simulated time comes from. The server reads it on every tick; tests use
/// `ManualClock` and move time themselves.
public protocol SimClock: Sendable {
    func now() -> Date
}

/// Simulated time running `speed` times faster than real time from `start`.
public struct ScaledClock: SimClock {
    public let start: Date
    public let speed: Double
    private let realStart: Date

    public init(start: Date, speed: Double, realStart: Date = Date()) {
        self.start = start
        self.speed = speed
        self.realStart = realStart
    }

    public func now() -> Date { start.addingTimeInterval(Date().timeIntervalSince(realStart) * speed) }
}

/// Time that moves only when told to.
public final class ManualClock: SimClock, Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { current.withLock { $0 = date } }
}
