import Foundation
import VehicleData
import Logging
import OutcomeStore
import RuleEngine
import ServiceLifecycle
import StellantisModels
import Synchronization

/// The dispatcher service. Sends the outbox's remote commands: one at a time per
/// vehicle, in order, several vehicles at once (`dispatchConcurrency`). Each command is
/// marked `sending` durably before its POST, followed through its `Pending` / `Done`
/// notifications (applied by the engine) or, after `remoteTimeout`, reconciled by
/// listing the vehicle's remotes. A command left `sending` by a crash is reconciled by
/// listing, never POSTed again blindly (docs/serve.md, "Dispatcher").
///
/// Waits for the API access (`APIAccess`), then is woken by `wake` (the engine queued
/// commands, the control watcher saw holds change, a command finished) or sleeps until
/// its next deadline on the clock (a retry, a remote time-out; the safety sweep
/// `settings.sweep` is a fallback). Graceful shutdown: takes no new command, lets the
/// POSTs in flight finish and be recorded, returns.
final class Dispatcher: Service, Sendable {
    let settings: RuntimeSettings
    let store: any RuntimeStore
    let access: APIAccess
    let clock: any VigieClock
    let decisionGuard: any DecisionGuard
    let reporter: RuntimeReporter
    let engine: EngineHandoff
    let wake: DispatchWake
    let budget: DispatchBudget
    /// Group commit of the API's acceptances (one transaction for the POSTs answered meanwhile).
    let acceptances: AcceptanceRecorder
    var logger: Logger { reporter.logger }
    var metrics: RuntimeMetrics { reporter.metrics }

    private struct State {
        /// Vehicles whose command a task is handling now.
        var active: Set<String> = []
        /// Outbox ids held back by the guardrails, and why.
        var held: [Int64: Decision.Reason] = [:]
        var tasks: [Int64: Task<Void, Never>] = [:]
        var stopping = false
        /// When the in-flight commands must be looked at again (nil: at the next step): the
        /// earliest follow-up deadline of the last scan, or sooner for commands claimed since.
        var followUpAt: Date?
    }

    private let state = Mutex(State())

    init(settings: RuntimeSettings, store: any RuntimeStore, access: APIAccess, clock: any VigieClock,
         decisionGuard: any DecisionGuard, reporter: RuntimeReporter, engine: EngineHandoff, wake: DispatchWake) {
        self.settings = settings
        self.store = store
        self.access = access
        self.clock = clock
        self.decisionGuard = decisionGuard
        self.reporter = reporter
        self.engine = engine
        self.wake = wake
        self.budget = DispatchBudget(settings: settings)
        self.acceptances = AcceptanceRecorder(store: store, clock: clock) { [settings] in settings.retryRule(now: $0) }
    }

    func run() async throws {
        let api: any VehicleAPI
        do {
            api = try await cancelWhenGracefulShutdown { [access] in try await access.api() }
        } catch {
            return   // shutdown before the API was reachable: nothing was sent
        }
        await withGracefulShutdownHandler {
            await loop(api)
        } onGracefulShutdown: { [self] in
            state.withLock { $0.stopping = true }
            wake.wake()
        }
    }

    private func loop(_ api: any VehicleAPI) async {
        do {
            try await recover(api)
        } catch {
            logger.error("dispatcher recovery failed", metadata: ["error": "\(error)"])
        }
        while !state.withLock({ $0.stopping }) && !Task.isCancelled {
            var deadline: Date?
            do {
                // While the API or the session is unavailable, commands wait (the connector
                // probes and wakes the dispatcher once it works again).
                if access.readiness.ready {
                    deadline = try await followUp(api)
                    try await launchReady(api)
                }
            } catch {
                logger.error("dispatcher step failed", metadata: ["error": "\(error)"])
            }
            if let retry = wake.nextRetry(now: clock.now()) { deadline = min(deadline ?? retry, retry) }
            // While commands are held, the guard is asked again every 500 ms (DecisionGuard).
            let holding = state.withLock { !$0.held.isEmpty }
            await wake.wait(until: deadline, clock: clock, sweep: holding ? min(0.5, settings.sweep) : settings.sweep)
        }
        for task in state.withLock({ Array($0.tasks.values) }) { await task.value }
    }

    /// Notes a retry the dispatcher scheduled: it wakes then.
    func retryScheduled(at date: Date) { wake.retry(at: date) }

    /// Looks at the in-flight commands when one may be due: a scan reads them all, so it
    /// runs only at the earliest deadline the last one found, when a command claimed
    /// since could be due (none before `min(remoteTimeout, 30)` after its claim), or after
    /// a scan that left work (a vehicle busy, a failed reconciliation), and at once when
    /// partitions were gained (their commands are new to it). Returns the deadline.
    private func followUp(_ api: any VehicleAPI) async throws -> Date? {
        let now = clock.now()
        if !wake.takeRescan(), let at = state.withLock({ $0.followUpAt }), now < at { return at }
        state.withLock { $0.followUpAt = nil }   // scan again at the next step if this one throws
        let scan = try await followInFlight(api)
        let soonest = now.addingTimeInterval(min(settings.remoteTimeout, 30))
        let at = scan.unfinished ? nil : min(scan.next ?? soonest, soonest)
        state.withLock { $0.followUpAt = at }
        return at
    }

    /// Claims, in ONE transaction, the next command of each vehicle that may go now (after
    /// the guardrails, the stale check and the budgets), then starts a task to POST each.
    private func launchReady(_ api: any VehicleAPI) async throws {
        let now = clock.now()
        let (free, busy) = state.withLock { (settings.dispatchConcurrency - $0.active.count, $0.active.count + $0.held.count) }
        guard free > 0 else { return }
        let items = try await store.nextDispatchItems(at: now, limit: free + busy)
        let heads = Set(items.map(\.outboxId))
        state.withLock { $0.held = $0.held.filter { heads.contains($0.key) } }   // finished elsewhere: forget
        var picked: [(item: DispatchItem, stale: Bool)] = []
        for item in items where picked.count < free {
            let reason = decisionGuard.dispatchHold(vin: item.vin, bundle: item.bundle, rule: item.rule,
                                                    queuedAt: item.decidedAt, now: now)
            if let reason, reason != .stale {
                hold(item, reason)
                continue
            }
            let (claimed, wasHeld) = state.withLock { s -> (Bool, Bool) in
                guard !s.stopping, s.active.insert(item.vin).inserted else { return (false, false) }
                return (true, s.held.removeValue(forKey: item.outboxId) != nil)
            }
            guard claimed else { continue }
            if wasHeld { logger.notice("command released", metadata: meta(item)) }
            picked.append((item, reason == .stale))
        }
        var going: [(item: DispatchItem, remote: Remote)] = []
        for (item, stale) in picked {
            if let remote = await prepare(item, stale: stale, now: now) {
                going.append((item, remote))
            } else {
                release(item.vin)
            }
        }
        guard !going.isEmpty else { return }
        let claims: [Result<Int, OutcomeStoreError>]
        do {
            claims = try await store.beginAttempts(outboxIds: going.map(\.item.outboxId), at: now)
        } catch {
            for (item, _) in going { release(item.vin) }
            throw error
        }
        for ((item, remote), claim) in zip(going, claims) {
            guard case .success(let attempt) = claim else {
                if case .failure(let refused) = claim {
                    logger.notice("command not claimed", metadata: meta(item, ["reason": "\(refused)"]))
                }
                release(item.vin)
                continue
            }
            state.withLock { $0.followUpAt = min($0.followUpAt ?? .distantFuture,
                                                 now.addingTimeInterval(min(settings.remoteTimeout, 30))) }
            let task = Task { [self] in
                await post(remote, item, attempt: attempt, api: api)
                state.withLock { s in
                    s.active.remove(item.vin)
                    s.tasks[item.outboxId] = nil
                }
                wake.wake()
            }
            state.withLock { $0.tasks[item.outboxId] = task }
        }
    }

    private func hold(_ item: DispatchItem, _ reason: Decision.Reason) {
        let first = state.withLock { $0.held.updateValue(reason, forKey: item.outboxId) == nil }
        if first {
            logger.notice("command held", metadata: [
                "vin": "\(item.vin)", "rule": "\(item.bundle)/\(item.rule)", "reason": "\(reason.rawValue)",
            ])
        }
    }

    /// Claims a vehicle for a follow-up (reconciliation) so no send task runs beside it.
    func claim(_ vin: String) -> Bool { state.withLock { !$0.stopping && $0.active.insert(vin).inserted } }
    func release(_ vin: String) { _ = state.withLock { $0.active.remove(vin) } }

    /// Hands the store's moves to metrics, logs and the engine.
    func report(_ transitions: [DispatchTransition]) {
        reporter.moved(transitions)
        engine.actionsFinished(transitions.compactMap(\.completed))
        for t in transitions where t.status == .queued {
            if let retryAt = t.retryAt { retryScheduled(at: retryAt) }
        }
    }
}

extension RuntimeStore {
    /// `finishDispatch` without an HTTP status.
    func finishDispatch(actionId: Int64, status: ActionStatus, failureCause: String?, detail: String? = nil,
                        at now: Date) async throws -> DispatchTransition {
        try await finishDispatch(actionId: actionId, status: status, failureCause: failureCause, detail: detail,
                                 httpStatus: nil, at: now)
    }
}
