import Foundation

/// Bursts of webhook calls with a wrong secret, from samples of the receiver's running
/// count of refused calls: a burst while at least `threshold` calls were refused within
/// the last `window` seconds; quiet once none was refused for `quiet` seconds (counted
/// from the first sample after a restart). A value type fed by the alert monitor at each
/// pass.
struct AlertBurst: Sendable {
    let threshold: Int
    let window: Double
    let quiet: Double
    /// (instant, running count) samples, the oldest at most `window` old but one.
    private var samples: [(at: Date, count: Int)] = []
    /// The last sample that saw the count grow, else the first sample.
    private var lastIncrease: Date?

    init(threshold: Int = 10, window: Double = 300, quiet: Double = 900) {
        self.threshold = max(1, threshold)
        self.window = window
        self.quiet = quiet
    }

    enum Level: Equatable {
        /// `count` refusals within the window.
        case burst(count: Int)
        /// None for `quiet` seconds.
        case quiet
    }

    /// Takes the running count at `now`: a burst, quiet, or nil (in between).
    mutating func sample(count: Int, at now: Date) -> Level? {
        if let last = samples.last {
            if count < last.count { samples.removeAll() }   // the counter restarted: a new baseline
            else if count > last.count { lastIncrease = now }
        } else if lastIncrease == nil {
            lastIncrease = now
        }
        samples.append((now, count))
        // Keep the newest sample at least `window` old as the baseline.
        while samples.count > 1, now.timeIntervalSince(samples[1].at) >= window { samples.removeFirst() }
        let refused = count - samples[0].count
        if refused >= threshold { return .burst(count: refused) }
        return now.timeIntervalSince(lastIncrease ?? now) >= quiet ? .quiet : nil
    }
}
