import Foundation
import VehicleData
import OutcomeStore
import Synchronization

/// Group commit of the API's acceptances, for the dispatcher's send tasks: an acceptance
/// that arrives while a transaction is being written waits and goes in the next one, so
/// one fsync records many commands (`RuntimeStore.recordDispatchAcceptances`). Each
/// caller's `record` returns once its acceptance is durable (or throws), as
/// `recordDispatchAccepted` did: nothing about sending changes — a command is `sending`
/// in the store until then, and one a crash leaves so is reconciled by listing.
///
/// When a group fails (one unknown action), each of its acceptances is written alone,
/// so one bad item does not leave the others unrecorded.
final class AcceptanceRecorder: Sendable {
    private struct Waiter {
        var acceptance: DispatchAcceptance
        var continuation: CheckedContinuation<[DispatchTransition], any Error>
    }

    private struct State {
        var waiting: [Waiter] = []
        var writing = false
        /// Transactions written and acceptances recorded (for tests and the benchmark).
        var transactions = 0
        var recorded = 0
    }

    private let store: any RuntimeStore
    private let retry: @Sendable (Date) -> DispatchRetryRule
    private let clock: any VigieClock
    private let maxGroup: Int
    private let state = Mutex(State())

    init(store: any RuntimeStore, clock: any VigieClock, maxGroup: Int = 500,
         retry: @escaping @Sendable (Date) -> DispatchRetryRule) {
        self.store = store
        self.clock = clock
        self.maxGroup = max(1, maxGroup)
        self.retry = retry
    }

    /// Transactions written so far, and acceptances recorded in them.
    var counts: (transactions: Int, recorded: Int) { state.withLock { ($0.transactions, $0.recorded) } }

    /// Records `acceptance` (in a group with those that arrive meanwhile); returns the
    /// moves it caused once durable.
    func record(_ acceptance: DispatchAcceptance) async throws -> [DispatchTransition] {
        try await withCheckedThrowingContinuation { continuation in
            let lead = state.withLock { s -> Bool in
                s.waiting.append(Waiter(acceptance: acceptance, continuation: continuation))
                guard !s.writing else { return false }
                s.writing = true
                return true
            }
            if lead { Task { await self.drain() } }
        }
    }

    /// Writes groups until no one waits.
    private func drain() async {
        while true {
            let group = state.withLock { s -> [Waiter] in
                let group = Array(s.waiting.prefix(maxGroup))
                s.waiting.removeFirst(group.count)
                if group.isEmpty { s.writing = false }
                return group
            }
            guard !group.isEmpty else { return }
            await write(group)
        }
    }

    private func write(_ group: [Waiter]) async {
        let rule = retry(clock.now())
        do {
            let moves = try await store.recordDispatchAcceptances(group.map(\.acceptance), retry: rule)
            state.withLock { $0.transactions += 1; $0.recorded += group.count }
            for (waiter, moved) in zip(group, moves) { waiter.continuation.resume(returning: moved) }
        } catch where group.count > 1 {
            for waiter in group {
                do {
                    let moved = try await store.recordDispatchAcceptances([waiter.acceptance], retry: rule)
                    state.withLock { $0.transactions += 1; $0.recorded += 1 }
                    waiter.continuation.resume(returning: moved.first ?? [])
                } catch {
                    waiter.continuation.resume(throwing: error)
                }
            }
        } catch {
            for waiter in group { waiter.continuation.resume(throwing: error) }
        }
    }
}
