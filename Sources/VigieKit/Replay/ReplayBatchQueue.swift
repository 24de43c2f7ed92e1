import Foundation

/// The bounded queue between the replay's reader thread and the engine: at most
/// `capacity` items wait, so a reader faster than the engine blocks instead of holding
/// the file in memory. One producer, one consumer.
///
/// `@unchecked Sendable`: every stored property is read and written only while
/// `condition` is locked.
final class ReplayBatchQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    private var closed = false
    /// Seconds the producer waited for room, and the consumer for an item.
    private(set) var producerWaits = 0.0, consumerWaits = 0.0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then adds `item`.
    func put(_ item: Item) {
        condition.lock()
        defer { condition.unlock() }
        if items.count >= capacity {
            let t0 = ReplayClock.now()
            while items.count >= capacity { condition.wait() }
            producerWaits += ReplayClock.now() - t0
        }
        items.append(item)
        condition.broadcast()
    }

    /// No more items will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, waiting for it; nil once the queue is closed and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        if items.isEmpty, !closed {
            let t0 = ReplayClock.now()
            while items.isEmpty, !closed { condition.wait() }
            consumerWaits += ReplayClock.now() - t0
        }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()   // a few items at most
        condition.broadcast()
        return item
    }

    /// The next item if one is there, without waiting.
    func poll() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    var waits: (producer: Double, consumer: Double) {
        condition.lock()
        defer { condition.unlock() }
        return (producerWaits, consumerWaits)
    }
}
