import Foundation
import Simulator
import VigieRuntime

/// The one clock of `vigie demo`, read by the simulator (as a `SimClock`) and by the
/// runtime (as a `RuntimeClock`): simulated time that stands still at `start` until
/// `run()`, then flows `speed` times faster than real time. Both sides reading the same
/// clock is what makes the runtime's stale-data checks, time-outs and `for` timers agree
/// with the simulated world.
final class DemoClock: SimClock, RuntimeClock, @unchecked Sendable {
    let start: Date
    let speed: Double
    private let lock = NSLock()
    private var realStart: Date?

    init(start: Date, speed: Double) {
        self.start = start
        self.speed = speed
    }

    /// Starts the flow of time (once).
    func run() {
        lock.withLock { if realStart == nil { realStart = Date() } }
    }

    func now() -> Date {
        guard let realStart = lock.withLock({ realStart }) else { return start }
        return start.addingTimeInterval(Date().timeIntervalSince(realStart) * speed)
    }

    func sleep(until: Date) async throws {
        while true {
            let left = until.timeIntervalSince(now())
            if left <= 0 { return }
            // Real seconds, at most 50 ms at a time (time may not be flowing yet).
            let real = min(0.05, left / speed)
            try await Task.sleep(nanoseconds: UInt64(max(real, 0.000_5) * 1e9))
        }
    }
}
