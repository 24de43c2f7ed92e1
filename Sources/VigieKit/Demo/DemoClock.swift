import Foundation
import Synchronization
import VehicleData

/// The one clock of `vigie demo`, read by the simulator and by the runtime: simulated
/// time that stands still at `start` until `run()`, then flows `speed` times faster than
/// real time. Both sides reading the same clock is what makes the runtime's stale-data
/// checks, time-outs and `for` timers agree with the simulated world.
final class DemoClock: VigieClock {
    let start: Date
    let speed: Double
    /// The real instant time started flowing; nil until `run()`.
    private let realStart = Mutex<Date?>(nil)

    init(start: Date, speed: Double) {
        self.start = start
        self.speed = speed
    }

    /// Starts the flow of time (once).
    func run() {
        realStart.withLock { if $0 == nil { $0 = Date() } }
    }

    func now() -> Date {
        guard let realStart = realStart.withLock({ $0 }) else { return start }
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
