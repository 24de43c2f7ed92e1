import Foundation

/// Running totals of the receiver, for `/metrics` and the intake benchmark.
package final class IntakeCounters: @unchecked Sendable {
    package struct Snapshot: Sendable, Hashable {
        package var requests = 0
        package var stored = 0
        package var duplicates = 0
        package var deadLetters = 0
        package var unauthorized = 0
        package var tooLarge = 0
        package var storageFailures = 0
        /// Requests refused with 415 (a body declared as something else than JSON).
        package var unsupportedMediaType = 0
        /// Requests whose body never arrived whole (the client closed, or `requestTimeout`).
        package var incompleteBodies = 0
    }

    private let lock = NSLock()
    private var totals = Snapshot()

    package init() {}

    package var snapshot: Snapshot {
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
