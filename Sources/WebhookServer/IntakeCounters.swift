import Foundation
import Synchronization

/// Running totals of the receiver, for `/metrics` and the intake benchmark.
package final class IntakeCounters: Sendable {
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

    private let totals = Mutex(Snapshot())

    package init() {}

    package var snapshot: Snapshot { totals.withLock { $0 } }

    func add(_ change: (inout Snapshot) -> Void) {
        totals.withLock { change(&$0) }
    }
}
