import Foundation
import VehicleData
import Synchronization

/// The dispatcher's wake-up: the engine signals it after a commit that queued commands
/// (with the instant of a retry it scheduled, if any), the control watcher when holds
/// change, the API connector when the access is attached, the dispatcher's own tasks
/// when a command finished. The earliest retry noted is one of the dispatcher's deadlines.
final class DispatchWake: Sendable {
    private let signal = WakeSignal()
    private let retry = Mutex<Date?>(nil)
    private let rescan = Mutex(false)

    init() {}

    /// There may be commands to send now.
    func wake() { signal.signal() }

    /// A command was queued again for `date`: wake then (and now).
    func retry(at date: Date) {
        retry.withLock { $0 = min($0 ?? date, date) }
        signal.signal()
    }

    /// This instance gained partitions (PostgreSQL, docs/cluster.md): their commands in
    /// flight — some left `sending` by the owner that died — are looked at now, not at the
    /// next look the dispatcher had planned for the commands it knew.
    func partitionsGained() {
        rescan.withLock { $0 = true }
        signal.signal()
    }

    /// Whether partitions were gained since the last call.
    func takeRescan() -> Bool {
        rescan.withLock { r in
            defer { r = false }
            return r
        }
    }

    /// The earliest retry noted, forgotten once it is due at `now`.
    func nextRetry(now: Date) -> Date? {
        retry.withLock { r in
            guard let date = r else { return nil }
            if date <= now { r = nil }
            return date
        }
    }

    func wait(until deadline: Date?, clock: any VigieClock, sweep: Double?) async {
        await signal.wait(until: deadline, clock: clock, sweep: sweep)
    }
}
