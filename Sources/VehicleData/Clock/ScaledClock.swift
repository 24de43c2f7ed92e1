import Foundation

/// Time running `speed` times faster than real time from `start`, counted from the real
/// instant `realStart` (`vigie sim`, accelerated runs of `vigie serve`).
public struct ScaledClock: VigieClock {
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
