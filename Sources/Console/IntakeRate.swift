import Foundation
import Synchronization

/// The intake rate: notifications stored per second over the last minute, from samples of
/// the receiver's counter taken whenever a page or the live stream asks.
final class IntakeRate: Sendable {
    private let samples = Mutex<[(at: Date, count: Int)]>([])

    /// Records `count` at `now`; returns the rate over the oldest sample of the last
    /// minute (nil until two samples a second apart exist).
    func sample(_ count: Int, at now: Date) -> Double? {
        samples.withLock { all in
            all.append((now, count))
            all.removeAll { now.timeIntervalSince($0.at) > 60 }
            guard let first = all.first, now.timeIntervalSince(first.at) >= 1 else { return nil }
            return Double(count - first.count) / now.timeIntervalSince(first.at)
        }
    }
}
