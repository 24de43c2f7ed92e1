import Foundation
import Notifications

/// A channel's `rate_limit: {count, per}` as a sliding window over the notifier's clock:
/// at most `count` attempts started in any `per` seconds. Deliveries over the limit stay
/// queued in the store until a slot frees (never dropped).
struct NotifierRateLimit: Sendable {
    let limit: ChannelConfiguration.RateLimit?
    /// Starts of the attempts in the current window, oldest first.
    private var starts: [Date] = []

    init(_ limit: ChannelConfiguration.RateLimit?) {
        self.limit = limit
    }

    /// How many attempts may start at `now` (`Int.max` without a limit).
    mutating func available(at now: Date) -> Int {
        guard let limit else { return Int.max }
        forget(before: now.addingTimeInterval(-limit.per))
        return max(0, limit.count - starts.count)
    }

    /// When the next slot frees (nil: one is free now, or there is no limit).
    mutating func nextSlot(at now: Date) -> Date? {
        guard let limit, available(at: now) == 0, let oldest = starts.first else { return nil }
        return oldest.addingTimeInterval(limit.per)
    }

    mutating func started(at now: Date) {
        guard limit != nil else { return }
        starts.append(now)
    }

    private mutating func forget(before cutoff: Date) {
        let keep = starts.firstIndex { $0 > cutoff } ?? starts.endIndex
        if keep > 0 { starts.removeFirst(keep) }
    }
}
