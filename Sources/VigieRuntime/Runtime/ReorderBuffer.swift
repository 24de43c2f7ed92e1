import Foundation
import VehicleData

/// The engine loop's event-time buffer (docs/serve.md, "Event time"): observations read
/// from the inbox or answered by the poller, held until the loop's watermark
/// (`clock − reorder_window`) passes their instant, then handed out in (instant, arrival)
/// order — the order a replay of the same lines sorted by date observes them in.
///
/// Holding is not a durability risk: a held notification stays unprocessed in the inbox
/// until the step that observes it commits, so after a crash it is read again. The buffer
/// remembers the highest inbox id it has read, so each row is read once per process.
struct ReorderBuffer {
    /// One input waiting for its instant.
    struct Input {
        var vin: String
        /// The instant it is observed at: the notification's `date` (or the time it was
        /// received), the poll's answer time.
        var at: Date
        var observation: Observation
        /// The inbox row it came from; nil for a poll answer.
        var inboxId: Int64?
        /// Arrival order (inbox id order for notifications read together).
        var arrival: UInt64
    }

    /// Sorted by (at, arrival).
    private(set) var inputs: [Input] = []
    private var nextArrival: UInt64 = 0
    /// The highest inbox id read so far (rows above it have not been read).
    private(set) var readUpTo: Int64 = 0

    var count: Int { inputs.count }
    /// The instant of the oldest input held (the next to leave the window).
    var earliest: Date? { inputs.first?.at }
    var isEmpty: Bool { inputs.isEmpty }

    /// Holds an input; equal instants keep their arrival order.
    mutating func add(vin: String, at: Date, _ observation: Observation, inboxId: Int64?) {
        let input = Input(vin: vin, at: at, observation: observation, inboxId: inboxId, arrival: nextArrival)
        nextArrival += 1
        // Inputs mostly arrive in date order: search from the end.
        var index = inputs.endIndex
        while index > inputs.startIndex, inputs[index - 1].at > at { index -= 1 }
        inputs.insert(input, at: index)
    }

    /// Remembers that inbox rows up to `id` have been read.
    mutating func read(upTo id: Int64) {
        readUpTo = max(readUpTo, id)
    }

    /// The inputs whose instant is at or before `watermark`, in (instant, arrival) order,
    /// at most `limit` of them.
    mutating func takeReady(through watermark: Date, limit: Int) -> [Input] {
        var end = inputs.startIndex
        while end < inputs.endIndex, end < limit, inputs[end].at <= watermark { end += 1 }
        defer { inputs.removeFirst(end) }
        return Array(inputs[..<end])
    }

    /// Every input, in arrival order (a reorder window of 0: as read, as before).
    mutating func takeAll() -> [Input] {
        defer { inputs.removeAll() }
        return inputs.sorted { $0.arrival < $1.arrival }
    }

    /// The checkpoint's inbox position: every row up to it has been processed (or is in
    /// the step being committed) — the rows read below the oldest held one.
    var position: Int64 {
        let oldestHeld = inputs.lazy.compactMap(\.inboxId).min()
        return oldestHeld.map { min($0 - 1, readUpTo) } ?? readUpTo
    }

    /// Forgets everything (the loop reloads its state from the database).
    mutating func reset() {
        self = ReorderBuffer()
    }
}
