import Foundation
import Logging
import OutcomeStore
import RuleEngine
import VehicleData

/// Consumes the inbox and the poller's answers in event time: each input is observed at
/// its own instant (a notification's `date`, a poll's answer time) once the watermark —
/// the runtime clock minus `reorderWindow` — has passed it, in (instant, arrival) order;
/// the engine's timers advance to the watermark (`ReorderBuffer`, docs/serve.md "Event
/// time"). Every decision passes the guardrails, and each step — decisions, actions,
/// outbox rows, remote progress, engine state, checkpoint and the inbox rows it observed —
/// is committed in ONE transaction (docs/serve.md).
///
/// Runs on its own task; other tasks only hand it work (`submitPoll`, `actionsFinished`).
final class EngineLoop: @unchecked Sendable {
    private unowned let runtime: ServeRuntime
    private var engine: RuleEngine
    private var store: EngineStateStore
    /// The fields each rule reads: a firing's staleness is judged by their data times.
    private let ruleReads: RuleFieldReads
    /// Inputs read and waiting for the watermark (their inbox rows stay unprocessed).
    private var buffer = ReorderBuffer()
    private let lock = NSLock()
    private var completions: [FiringKey] = []
    private var polls: [PolledStatus] = []
    private var stopping = false
    private let wake = WakeSignal()
    private var commandsQueuedHandler: (@Sendable () -> Void)?
    /// Called after each commit that queued commands (the dispatcher's wake-up). Set
    /// while the loop may already run (the dispatcher starts once the API is reachable).
    var onCommandsQueued: (@Sendable () -> Void)? {
        get { lock.withLock { commandsQueuedHandler } }
        set { lock.withLock { commandsQueuedHandler = newValue } }
    }

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
        ruleReads = RuleFieldReads(bundles: runtime.bundles)
        (engine, store, _) = try Self.restored(runtime: runtime)
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
            buffer.reset()
            (engine, store, _) = try Self.restored(runtime: runtime)
        } catch {
            runtime.logger.critical("cannot reload the engine state", metadata: ["error": "\(error)"])
        }
    }

    /// One step: completions; polls and new inbox rows into the buffer; the inputs the
    /// watermark has passed, observed in order; timers up to the watermark; commits when
    /// anything changed. Returns whether it consumed input (more may be waiting).
    func step() throws -> Bool {
        let now = runtime.clock.now()
        let window = runtime.settings.reorderWindow
        let watermark = now.addingTimeInterval(-window)
        let (finished, polled) = lock.withLock { () -> ([FiringKey], [PolledStatus]) in
            defer { completions = []; polls = [] }
            return (completions, polls)
        }
        var touched = Set<String>()
        for key in finished {
            engine.actionsCompleted(vin: key.vin, bundle: key.bundle, rule: key.rule)
            touched.insert(key.vin)
        }
        for poll in polled { buffer.add(vin: poll.vin, at: poll.at, poll.observation, inboxId: nil) }
        let read = try readInbox(now: now)
        let ready = window > 0 ? buffer.takeReady(through: watermark, limit: runtime.settings.engineBatch) : buffer.takeAll()
        var made: [Made] = []
        for input in ready {
            observe(input, now: now, into: &made)
            touched.insert(input.vin)
        }
        if engine.now != nil {
            engine.advance(to: Timestamp.millis(watermark))
            made += engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
        }
        runtime.metrics.set(RuntimeMetrics.engineHeld, to: Double(buffer.count))
        let reviewed = review(made, now: now, touched: &touched)
        let processed = read.processed + ready.compactMap(\.inboxId)
        let consumed = read.rows > 0 || !polled.isEmpty || !ready.isEmpty
        guard !reviewed.isEmpty || !processed.isEmpty || !touched.isEmpty else { return consumed }
        try commit(reviewed, touched: touched, processed: processed, remoteEvents: read.remoteEvents,
                   lastId: buffer.position, now: now)
        return consumed
    }

    /// Reads the inbox rows after those already read: notifications go to the buffer (at
    /// their `date`, or now when dated beyond the clock skew); remote events and unusable
    /// rows are handled in this step.
    private func readInbox(now: Date) throws -> (rows: Int, processed: [Int64], remoteEvents: [DispatchRemoteEvent]) {
        let rows = try runtime.database.unprocessedInbox(after: buffer.readUpTo, limit: runtime.settings.engineBatch)
        var processed: [Int64] = []
        var remoteEvents: [DispatchRemoteEvent] = []
        for row in rows {
            switch InboxInput(row) {
            case .observation(let vin, let at, let observation, let warnings):
                for w in warnings { runtime.logger.debug("notification decoding", metadata: ["vin": "\(vin)", "warning": "\(w)"]) }
                buffer.add(vin: vin, at: eventTime(at, vin: vin, inboxId: row.id, now: now), observation, inboxId: row.id)
            case .remote(let event):
                remoteEvents.append(event)
                processed += row.id.map { [$0] } ?? []
                runtime.metrics.increment(RuntimeMetrics.remoteEvents, ["type": event.type])
            case .unusable(let why):
                runtime.logger.warning("notification set aside", metadata: ["inboxId": "\(row.id ?? 0)", "reason": "\(why)"])
                try runtime.database.addDeadLetter(source: "engine", body: row.body, error: why, at: now)
                processed += row.id.map { [$0] } ?? []
            }
        }
        if let last = rows.last?.id { buffer.read(upTo: last) }
        return (rows.count, processed, remoteEvents)
    }

    /// A notification's instant: its `date`, unless the sender's clock is ahead of ours by
    /// more than `maxClockSkew` — then the time it was read.
    private func eventTime(_ date: Date, vin: String, inboxId: Int64?, now: Date) -> Date {
        guard date.timeIntervalSince(now) > runtime.settings.maxClockSkew else { return date }
        runtime.logger.debug("notification dated ahead of the clock; observed as received now", metadata: [
            "vin": "\(vin)", "inboxId": "\(inboxId ?? 0)", "date": "\(RFC3339.formatUTC(Timestamp.millis(date)))",
        ])
        return now
    }

    /// Observes one input at its instant; one the engine's clock has already passed (it
    /// came later than the window allows) is observed at the engine's clock and counted.
    private func observe(_ input: ReorderBuffer.Input, now: Date, into made: inout [Made]) {
        let t = Timestamp.millis(input.at)
        let source = input.inboxId == nil ? "poll" : "notification"
        engine.advance(to: t)
        made += engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
        if let clock = engine.now, clock > t {
            runtime.metrics.increment(RuntimeMetrics.observationsLate, ["source": source])
            runtime.logger.debug("late observation: observed at the engine's clock", metadata: [
                "vin": "\(input.vin)", "inboxId": "\(input.inboxId ?? 0)", "date": "\(RFC3339.formatUTC(t))",
                "engineClock": "\(RFC3339.formatUTC(clock))",
            ])
        }
        store.note(input.vin)
        engine.observe(vin: input.vin, at: t, input.observation)
        runtime.metrics.increment(RuntimeMetrics.observations, ["source": source])
        made += engine.takeDecisions().map {
            Made(decision: $0, observedAt: input.at, stale: isStale($0, observedAt: input.at, now: now),
                 inboxId: input.inboxId)
        }
    }

    /// Whether a firing caused by an observation acts on stale data: the oldest data time
    /// of the values its rule reads (SEMANTICS.md "Data time and age"), and the
    /// observation's own instant, is more than `stale_after` before now.
    private func isStale(_ d: Decision, observedAt: Date, now: Date) -> Bool {
        guard d.event == .fired else { return false }
        var oldest = observedAt
        for field in ruleReads.fields(bundle: d.bundle, rule: d.rule) {
            if let t = engine.dataTime(vin: d.vin, field: field) { oldest = min(oldest, Timestamp.date(t)) }
        }
        return now.timeIntervalSince(oldest) > runtime.settings.staleAfter
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
        runtime.metrics.increment(RuntimeMetrics.engineTimerRuns)
        runtime.recordCommitted(decisions.map(\.0), transitions: result.transitions)
        let finished = result.transitions.compactMap(\.completed)
        if !finished.isEmpty { lock.withLock { completions += finished } }
        if decisions.contains(where: { $0.0.event == .fired }) || result.transitions.contains(where: { $0.status == .queued }) {
            onCommandsQueued?()
        }
    }
}
