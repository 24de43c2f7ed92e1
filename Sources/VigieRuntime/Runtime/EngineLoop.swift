import Foundation
import Logging
import OutcomeStore
import RuleEngine
import VehicleData

/// Consumes the inbox in order (per vehicle: receive order) and the poller's answers,
/// runs the engine's timers from the runtime clock, passes every decision through the
/// guardrails, and commits each step — decisions, actions, outbox rows, remote progress,
/// engine state and checkpoint — in ONE transaction (docs/serve.md).
///
/// Runs on its own task; other tasks only hand it work (`submitPoll`, `actionsFinished`).
final class EngineLoop: @unchecked Sendable {
    private unowned let runtime: ServeRuntime
    private var engine: RuleEngine
    private var store: EngineStateStore
    private var position: Int64 = 0
    private let lock = NSLock()
    private var completions: [FiringKey] = []
    private var polls: [PolledStatus] = []
    private var stopping = false
    private let wake = WakeSignal()
    /// Called after each commit that queued commands (the dispatcher's wake-up).
    var onCommandsQueued: (@Sendable () -> Void)?

    struct PolledStatus {
        var vin: String
        var at: Date
        var observation: Observation
    }

    /// A decision with what caused it.
    private struct Made {
        var decision: Decision
        var observedAt: Date
        var stale: Bool
        var inboxId: Int64?
    }

    init(runtime: ServeRuntime) throws {
        self.runtime = runtime
        (engine, store, position) = try Self.restored(runtime: runtime)
    }

    /// A fresh engine with the saved state, its `running` counts taken from the commands
    /// still unfinished in the store (they may have finished after the last save).
    private static func restored(runtime: ServeRuntime) throws -> (RuleEngine, EngineStateStore, Int64) {
        let engine = RuleEngine(bundles: runtime.bundles, inventory: runtime.inventory,
                                options: .init(actionsCompleteInstantly: false))
        var store = EngineStateStore(database: runtime.database, scope: runtime.settings.scope)
        guard let (snapshot, position) = try store.load() else { return (engine, store, 0) }
        let unfinished = try runtime.database.unfinishedFirings()
        var adjusted = snapshot
        for v in adjusted.vehicles.indices {
            for r in adjusted.vehicles[v].rules.indices {
                let rule = adjusted.vehicles[v].rules[r]
                adjusted.vehicles[v].rules[r].running =
                    unfinished[FiringKey(vin: adjusted.vehicles[v].vin, bundle: rule.bundle, rule: rule.rule)] ?? 0
            }
        }
        let ignored = engine.restore(adjusted)
        for item in ignored { runtime.logger.warning("saved engine state no longer applies", metadata: ["item": "\(item)"]) }
        runtime.logger.info("engine state restored", metadata: [
            "vehicles": "\(snapshot.vehicles.count)", "inboxPosition": "\(position)",
            "clock": "\(snapshot.now.map(RFC3339.formatUTC) ?? "-")",
        ])
        return (engine, store, position)
    }

    // MARK: hand-offs from other tasks

    func submitPoll(vin: String, at: Date, observation: Observation) {
        lock.withLock { polls.append(PolledStatus(vin: vin, at: at, observation: observation)) }
        wake.signal()
    }

    func actionsFinished(_ keys: [FiringKey]) {
        guard !keys.isEmpty else { return }
        lock.withLock { completions += keys }
        wake.signal()
    }

    /// New notifications are in the inbox.
    func notify() { wake.signal() }

    /// Ends `run()` once the inbox is drained.
    func stop() {
        lock.withLock { stopping = true }
        wake.signal()
    }

    // MARK: the loop

    func run() async {
        while true {
            let stop = lock.withLock { stopping }
            var busy = false
            do {
                busy = try step()
            } catch {
                runtime.logger.error("engine step failed; reloading the saved state", metadata: ["error": "\(error)"])
                reload()
                try? await Task.sleep(nanoseconds: 200_000_000)
                continue
            }
            if stop && !busy { return }
            if !busy { await wake.wait(timeout: runtime.settings.tick) }
        }
    }

    private func reload() {
        do {
            (engine, store, position) = try Self.restored(runtime: runtime)
        } catch {
            runtime.logger.critical("cannot reload the engine state", metadata: ["error": "\(error)"])
        }
    }

    /// One step: completions, polls, a batch of inbox rows, timers up to now; commits
    /// when anything changed. Returns whether it consumed input (more may be waiting).
    func step() throws -> Bool {
        let now = runtime.clock.now()
        let (finished, polled) = lock.withLock { () -> ([FiringKey], [PolledStatus]) in
            defer { completions = []; polls = [] }
            return (completions, polls)
        }
        var touched = Set<String>()
        for key in finished {
            engine.actionsCompleted(vin: key.vin, bundle: key.bundle, rule: key.rule)
            touched.insert(key.vin)
        }
        var made: [Made] = []
        for poll in polled {
            observe(vin: poll.vin, at: poll.at, poll.observation, inboxId: nil, now: now, into: &made)
            touched.insert(poll.vin)
            runtime.metrics.increment(RuntimeMetrics.observations, ["source": "poll"])
        }
        let rows = try runtime.database.unprocessedInbox(limit: runtime.settings.engineBatch)
        var remoteEvents: [DispatchRemoteEvent] = []
        for row in rows {
            switch InboxInput(row) {
            case .observation(let vin, let at, let observation, let warnings):
                for w in warnings { runtime.logger.debug("notification decoding", metadata: ["vin": "\(vin)", "warning": "\(w)"]) }
                observe(vin: vin, at: at, observation, inboxId: row.id, now: now, into: &made)
                touched.insert(vin)
                runtime.metrics.increment(RuntimeMetrics.observations, ["source": "notification"])
            case .remote(let event):
                remoteEvents.append(event)
                runtime.metrics.increment(RuntimeMetrics.remoteEvents, ["type": event.type])
            case .unusable(let why):
                runtime.logger.warning("notification set aside", metadata: ["inboxId": "\(row.id ?? 0)", "reason": "\(why)"])
                try runtime.database.addDeadLetter(source: "engine", body: row.body, error: why, at: now)
            }
        }
        if engine.now != nil {
            engine.advance(to: Timestamp.millis(now))
            made += engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
        }
        let reviewed = review(made, now: now, touched: &touched)
        let lastId = rows.last?.id ?? position
        guard !reviewed.isEmpty || !rows.isEmpty || !touched.isEmpty else { return false }
        try commit(reviewed, touched: touched, processed: rows.compactMap(\.id), remoteEvents: remoteEvents,
                   lastId: lastId, now: now)
        return !rows.isEmpty || !polled.isEmpty
    }

    private func observe(vin: String, at: Date, _ observation: Observation, inboxId: Int64?, now: Date,
                         into made: inout [Made]) {
        let t = Timestamp.millis(at)
        engine.advance(to: t)
        made += engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
        store.note(vin)
        engine.observe(vin: vin, at: t, observation)
        let stale = now.timeIntervalSince(at) > runtime.settings.staleAfter
        made += engine.takeDecisions().map { Made(decision: $0, observedAt: at, stale: stale, inboxId: inboxId) }
    }

    /// Stale data and the guardrails may turn a firing into a suppression; the engine is
    /// told at once that such a firing (and one with no command to send) has completed.
    private func review(_ made: [Made], now: Date, touched: inout Set<String>) -> [(Decision, Int64?)] {
        made.map { item in
            var d = item.decision
            if item.stale, d.event == .fired {
                d = Self.suppressed(d, .stale)
            }
            d = runtime.decisionGuard.review(d, observedAt: item.observedAt, now: now)
            let original = item.decision
            let sendsCommands = d.event == .fired && d.actions.contains { if case .remote = $0 { return true } else { return false } }
            if original.event == .fired, !sendsCommands {
                engine.actionsCompleted(vin: d.vin, bundle: d.bundle, rule: d.rule)
            }
            touched.insert(d.vin)
            return (d, item.inboxId)
        }
    }

    static func suppressed(_ d: Decision, _ reason: Decision.Reason) -> Decision {
        Decision(at: d.at, vin: d.vin, bundle: d.bundle, rule: d.rule, event: .suppressed, reason: reason, actions: [],
                 isRepeat: d.isRepeat)
    }

    private func commit(_ decisions: [(Decision, Int64?)], touched: Set<String>, processed: [Int64],
                        remoteEvents: [DispatchRemoteEvent], lastId: Int64, now: Date) throws {
        let (states, checkpoint) = try store.changes(engine: engine, vins: touched, position: lastId)
        let step = DispatchStep(
            commit: DecisionCommit(scope: runtime.settings.scope,
                                   decisions: decisions.map { DecisionRecord($0.0, inboxId: $0.1) },
                                   vehicleStates: states, checkpoint: checkpoint, processedInboxIds: processed),
            cancelsRunning: decisions.map { $0.0.event == .fired && $0.0.cancelsRunning },
            remoteEvents: remoteEvents)
        let result = try runtime.database.commitDispatchStep(step, at: now, retry: runtime.retryRule(now: now))
        store.committed(states)
        position = lastId
        runtime.metrics.increment(RuntimeMetrics.engineTimerRuns)
        runtime.recordCommitted(decisions.map(\.0), transitions: result.transitions)
        let finished = result.transitions.compactMap(\.completed)
        if !finished.isEmpty { lock.withLock { completions += finished } }
        if decisions.contains(where: { $0.0.event == .fired }) || result.transitions.contains(where: { $0.status == .queued }) {
            onCommandsQueued?()
        }
    }
}
