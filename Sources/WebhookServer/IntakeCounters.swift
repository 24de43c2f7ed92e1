import Foundation

/// Running totals of the receiver, for `/metrics` and the intake benchmark.
public final class IntakeCounters: @unchecked Sendable {
    public struct Snapshot: Sendable, Hashable {
        public var requests = 0
        public var stored = 0
        public var duplicates = 0
        public var deadLetters = 0
        public var unauthorized = 0
        public var tooLarge = 0
        public var storageFailures = 0
        /// Requests refused with 415 (a body declared as something else than JSON).
        public var unsupportedMediaType = 0
        /// Requests whose body never arrived whole (the client closed, or `requestTimeout`).
        public var incompleteBodies = 0
    }

    private let lock = NSLock()
    private var totals = Snapshot()

    public init() {}

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return totals
    }

    func add(_ change: (inout Snapshot) -> Void) {
        lock.lock()
        change(&totals)
        lock.unlock()
    }
}
