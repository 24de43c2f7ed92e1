import Foundation
import Synchronization

/// Time that moves only when a test moves it. `sleep(until:)` returns once the clock
/// has been moved to (or past) the instant.
public final class ManualClock: VigieClock {
    private let current: Mutex<Date>
    private let waiting = Mutex<[Date: Int]>([:])

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    /// The instants that sleepers are waiting for now, earliest first (one entry per
    /// sleeper): a test waits until a service sleeps toward the instant it expects,
    /// instead of sleeping for real and hoping the service got there.
    public var sleepers: [Date] {
        waiting.withLock { $0.flatMap { Array(repeating: $0.key, count: $0.value) } }.sorted()
    }

    public func sleep(until date: Date) async throws {
        waiting.withLock { $0[date, default: 0] += 1 }
        defer {
            waiting.withLock {
                $0[date, default: 1] -= 1
                if $0[date] == 0 { $0[date] = nil }
            }
        }
        while now() < date {
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }
}
