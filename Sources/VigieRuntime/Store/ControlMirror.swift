import Foundation
import Logging
import OutcomeStore
import ServiceLifecycle
import Synchronization

/// `GuardStore` over a store behind a server (PostgreSQL, docs/cluster.md): the
/// guardrails ask under their lock, so they read a copy kept here and never wait on the
/// network. The copy is refreshed every `period` (100 ms: the control version, and the
/// holds when it changed), so a pause or a kill switch written by any process reaches
/// this instance's guard within `period` plus the control watcher's look (250 ms) —
/// well under a second. Writes (the configuration's pause, loop stops, flapping and
/// budget entries) are queued and written in order by the same loop; one that fails is
/// logged, and a loop stop stays enforced in memory (as with SQLite when a write fails).
///
/// Run it in the ServiceGroup before the engine and the dispatcher (it stops after them
/// and writes what they queued last); call `load()` once the store is reachable and
/// before they start.
package final class ControlMirror: GuardStore, Service {
    private let store: any RuntimeStore
    /// How far back lifted holds are kept (the guard asks for a day plus the stale age).
    private let window: TimeInterval
    private let period: Duration
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var version: Int64 = -1
        var holds: [ControlHoldRecord] = []
        /// Budget stops journalled since the start of yesterday (UTC), and those queued.
        var budgetStops: [ControlEventRecord] = []
        var pending: [Write] = []
    }

    private enum Write: Sendable {
        case configHold(paused: Bool, at: Date)
        case hold(ControlHoldRecord)
        case event(ControlEventRecord)
    }

    package init(store: any RuntimeStore, staleAfter: TimeInterval, period: Duration = .milliseconds(100),
                logger: Logger) {
        self.store = store
        self.window = 86_400 + staleAfter + 3_600
        self.period = period
        self.logger = logger
    }

    /// Writes what was queued, closes the flapping holds an earlier run left open
    /// (flapping counts live in memory) and reads the holds and the journal's recent
    /// budget stops. Throws when the store cannot be reached.
    package func load(now: Date = Date()) async throws {
        try await flush(strict: true)
        for open in try await store.openFlapHolds() {
            try await store.recordControlEvent(ControlEventRecord(
                at: now, kind: .flapEnded, vin: open.vin, bundle: open.bundle, rule: open.rule,
                detail: "vigie serve restarted"))
        }
        let dayStart = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 86_400)
        let stops = try await store.controlEvents(kind: .budgetStopped, vin: nil, since: dayStart)
        state.withLock { $0.budgetStops = stops }
        try await refresh(now: now)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.period) } catch { break }
                do {
                    try await self.flush(strict: false)
                    try await self.refresh(now: Date())
                } catch {
                    self.logger.error("cannot read the pauses and stops: \(error)")
                }
            }
        }
        try? await flush(strict: false)
    }

    /// Re-reads the holds when the control version changed.
    private func refresh(now: Date) async throws {
        let version = try await store.controlVersion()
        guard version != state.withLock({ $0.version }) else { return }
        let holds = try await store.holds(activeOrResumedSince: now.addingTimeInterval(-window))
        state.withLock { s in
            s.version = version
            s.holds = holds
        }
    }

    /// Writes the queued changes in order; `strict`: the first failure is thrown (and the
    /// rest stay queued), else each failure is logged and dropped.
    private func flush(strict: Bool) async throws {
        while let write = state.withLock({ $0.pending.first }) {
            do {
                switch write {
                case .configHold(let paused, let at): try await store.syncConfigHold(paused: paused, at: at)
                case .hold(let hold): _ = try await store.addHold(hold, detail: nil)
                case .event(let event): try await store.recordControlEvent(event)
                }
            } catch {
                if strict { throw error }
                logger.error("cannot record a pause, stop or journal entry: \(error)")
            }
            state.withLock { _ = $0.pending.removeFirst() }
        }
    }

    // MARK: GuardStore (answered from the copy)

    package func syncConfigHold(paused: Bool, at now: Date) throws {
        state.withLock { $0.pending.append(.configHold(paused: paused, at: now)) }
    }

    /// Empty: `load()` closes the leftover flapping holds itself.
    package func openFlapHolds() throws -> [ControlEventRecord] { [] }

    package func controlVersion() throws -> Int64 {
        state.withLock { $0.version }
    }

    package func holds(activeOrResumedSince since: Date) throws -> [ControlHoldRecord] {
        state.withLock { s in s.holds.filter { hold in hold.resumedAt.map { $0 >= since } ?? true } }
    }

    /// Queued; returned as new (the guard enforces it at once, the copy has it after the
    /// write and the next refresh).
    package func addHold(_ hold: ControlHoldRecord, detail: String?) throws -> (hold: ControlHoldRecord, isNew: Bool) {
        state.withLock { $0.pending.append(.hold(hold)) }
        return (hold, true)
    }

    package func controlEvents(kind: ControlEventRecord.Kind, vin: String?, since: Date?) throws -> [ControlEventRecord] {
        guard kind == .budgetStopped else { return [] }
        return state.withLock { s in
            s.budgetStops.filter { e in (vin == nil || e.vin == vin) && (since.map { e.at >= $0 } ?? true) }
        }
    }

    @discardableResult
    package func recordControlEvent(_ event: ControlEventRecord) throws -> ControlEventRecord {
        state.withLock { s in
            s.pending.append(.event(event))
            if event.kind == .budgetStopped { s.budgetStops.append(event) }
        }
        return event
    }
}
