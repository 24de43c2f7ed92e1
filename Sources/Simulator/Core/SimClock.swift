import Foundation

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
public final class ManualClock: SimClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { lock.withLock { current = date } }
}
