import Foundation
import Synchronization

/// Time that moves only when a test moves it. `sleep(until:)` returns once the clock
/// has been moved to (or past) the instant.
public final class ManualClock: VigieClock {
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
