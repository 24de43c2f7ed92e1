import Foundation
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import ServiceLifecycle
import VehicleData

/// The engine service. Consumes the inbox and the poller's answers in event time: each
/// input is observed at its own instant (a notification's `date`, a poll's answer time)
/// once the watermark — the runtime clock minus `reorderWindow` — has passed it, in
/// (instant, arrival) order; the engine's timers advance to the watermark (`ReorderBuffer`,
/// docs/serve.md "Event time"). Every decision passes the guardrails, and each step —
/// decisions, actions, outbox rows, remote progress, engine state, checkpoint and the
/// inbox rows it observed — is committed in ONE transaction (docs/serve.md).
///
/// Woken by `handoff` (new inbox rows, polls, finished firings); otherwise it sleeps
/// until its next deadline on the clock: the oldest held input leaving the reorder
/// window, or the engine's next timer (the safety sweep, `settings.sweep`, is a fallback).
/// After a commit that queued commands it wakes the dispatcher (`commandsQueued`).
/// Graceful shutdown: drains the inbox up to the watermark, commits, returns.
actor EngineService: Service {
    private let settings: RuntimeSettings
    private let store: any RuntimeStore
    private let bundles: [CheckedBundle]
    private let inventory: Inventory
    private let decisionGuard: any DecisionGuard
    private let clock: any VigieClock
    private let reporter: RuntimeReporter
    private let handoff: EngineHandoff
    private let commandsQueued: DispatchWake
    private var logger: Logger { reporter.logger }
    private var metrics: RuntimeMetrics { reporter.metrics }

    private var engine: RuleEngine
    private var state: EngineStateStore
    /// The fields each rule reads: a firing's staleness is judged by their data times.
    private let ruleReads: RuleFieldReads
    /// Inputs read and waiting for the watermark (their inbox rows stay unprocessed).
    private var buffer = ReorderBuffer()
    /// Finished firings of the last commit, applied at the next step.
    private var completions: [FiringKey] = []
    /// Consecutive failed steps (back-off, one log line per failure spell).
    private var failures = 0
    /// Observed but not yet committed: steps that decided nothing (`Deferred`).
    private var deferred = Deferred()
    /// A step failed and the saved state could not be reloaded: the engine in memory may
    /// have observed rows that were not committed, which the next step reads again. No
    /// step runs on it: the next one reloads first (or fails again).
    private var needsReload = false

    /// What steps that made no decision observed, committed with the next step that
    /// decides, or `flushDelay` of real time after the first of them. Deferring them is
    /// safe: their inbox rows stay unprocessed until that commit, so after a crash they
    /// are read and observed again, and the restored engine decides the same. Most
    /// notifications change no rule's outcome; without this each one cost the store's
    /// writer an `fdatasync`, and the steps that do decide waited behind them.
    private struct Deferred {
        var touched = Set<String>()
        var processed: [Int64] = []
        var since: ContinuousClock.Instant?
        static let flushDelay = Duration.milliseconds(50)

        var isEmpty: Bool { since == nil }
        /// Real time until these must be committed (nil: nothing deferred).
        var remaining: Double? {
            guard let since else { return nil }
            let left = Self.flushDelay - (ContinuousClock.now - since)
            let parts = left.components
            return max(0, Double(parts.seconds) + Double(parts.attoseconds) * 1e-18)
        }
    }

    /// A decision with what caused it.
    private struct Made {
        var decision: Decision
        var observedAt: Date
        var stale: Bool
        var inboxId: Int64?
    }

    /// Restores the saved engine state now (throws when it cannot be read).
    init(settings: RuntimeSettings, store: any RuntimeStore, bundles: [CheckedBundle], inventory: Inventory,
         decisionGuard: any DecisionGuard, clock: any VigieClock, reporter: RuntimeReporter,
         handoff: EngineHandoff, commandsQueued: DispatchWake) async throws {
        self.settings = settings
        self.store = store
        self.bundles = bundles
        self.inventory = inventory
        self.decisionGuard = decisionGuard
        self.clock = clock
        self.reporter = reporter
        self.handoff = handoff
        self.commandsQueued = commandsQueued
        ruleReads = RuleFieldReads(bundles: bundles)
        (engine, state) = try await Self.restored(settings: settings, store: store, bundles: bundles, inventory: inventory,
                                                  logger: reporter.logger)
    }

    /// A fresh engine with the saved state, its `running` counts taken from the commands
    /// still unfinished in the store (they may have finished after the last save).
    private static func restored(settings: RuntimeSettings, store: any RuntimeStore, bundles: [CheckedBundle],
                                 inventory: Inventory, logger: Logger) async throws -> (RuleEngine, EngineStateStore) {
        let engine = RuleEngine(bundles: bundles, inventory: inventory, options: .init(actionsCompleteInstantly: false))
        if let labels = settings.drift?.labels { engine.vehicleLabel = { labels.label(vin: $0) } }   // `{{vehicle.name}}`
        var state = EngineStateStore(database: store, scope: settings.scope)
        guard let (snapshot, position) = try await state.load() else { return (engine, state) }
        let unfinished = try await store.unfinishedFirings()
        var adjusted = snapshot
        for v in adjusted.vehicles.indices {
            for r in adjusted.vehicles[v].rules.indices {
                let rule = adjusted.vehicles[v].rules[r]
                adjusted.vehicles[v].rules[r].running =
                    unfinished[FiringKey(vin: adjusted.vehicles[v].vin, bundle: rule.bundle, rule: rule.rule)] ?? 0
            }
        }
        let ignored = engine.restore(adjusted)
        for item in ignored { logger.warning("saved engine state no longer applies", metadata: ["item": "\(item)"]) }
        logger.info("engine state restored", metadata: [
            "vehicles": "\(snapshot.vehicles.count)", "inboxPosition": "\(position)",
            "clock": "\(snapshot.now.map(RFC3339.formatUTC) ?? "-")",
        ])
        return (engine, state)
    }

    // MARK: the loop

    func run() async {
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: { [handoff] in
            handoff.stop()
        }
    }

    private func loop() async {
        // Cancelled (another service failed, e.g. a listener could not bind): stop at once —
        // a wait returns at once when cancelled, so looping on would spin. What is not
        // committed stays in the inbox for the next start.
        while !Task.isCancelled {
            let stop = handoff.isStopping
            var busy = false
            do {
                busy = try await step()
                if failures > 0 {
                    logger.notice("engine steps commit again", metadata: ["failedSteps": "\(failures)"])
                    failures = 0
                }
            } catch {
                failures += 1
                if failures == 1 {
                    logger.error("engine step failed; reloading the saved state and trying again",
                                 metadata: ["error": "\(error)"])
                }
                await reload()
                if stop && failures >= 3 { return }   // shutting down: what is not committed stays in the inbox
                // Real-time back-off while the store refuses (disk full, a partition's lease
                // lost): 0.2 s doubling to 5 s. New rows do not end it — every notification
                // signals the engine, and retrying at each one spun on the store's pool and
                // starved the lease keeper that would stop this engine; shutdown does.
                let until = ContinuousClock.now + .seconds(Backoff(base: 0.2, cap: 5).delay(retry: failures - 1))
                while !Task.isCancelled, !handoff.isStopping, ContinuousClock.now < until {
                    let left = (until - ContinuousClock.now).components
                    await handoff.wake.wait(until: nil, clock: clock,
                                            sweep: Double(left.seconds) + Double(left.attoseconds) * 1e-18)
                }
                continue
            }
            if stop && !busy && deferred.isEmpty { return }
            if !busy {
                let sweep = deferred.remaining.map { min($0, settings.sweep) } ?? settings.sweep
                await handoff.wake.wait(until: nextDeadline(), clock: clock, sweep: sweep)
            }
        }
    }

    /// When the engine has work without being woken: the oldest held input leaves the
    /// reorder window, or the engine's next timer is due (nil: neither; the safety sweep,
    /// `settings.sweep` in real time, still wakes it).
    private func nextDeadline() -> Date? {
        let held = buffer.earliest.map { $0.addingTimeInterval(settings.reorderWindow) }
        // Timers run once the watermark (clock − window) reaches them.
        let timer = engine.nextTimerAt.map { Timestamp.date($0).addingTimeInterval(settings.reorderWindow) }
        return [held, timer].compactMap { $0 }.min()
    }

    /// After a failed step: the saved state replaces the engine in memory, whose
    /// observations since the last commit were not committed (their rows are still
    /// unprocessed: read again). When it cannot be read, the next step reloads first.
    func reload() async {
        do {
            try await restore()
        } catch {
            // Cancelled (a partition stopped, the group ending): nothing is wrong with the state.
            if failures == 1 && !Task.isCancelled {
                logger.critical("cannot reload the engine state", metadata: ["error": "\(error)"])
            }
        }
    }

    private func restore() async throws {
        needsReload = true
        buffer.reset()
        deferred = Deferred()   // their rows are still unprocessed: read again
        (engine, state) = try await Self.restored(settings: settings, store: store, bundles: bundles, inventory: inventory,
                                                  logger: logger)
        needsReload = false
    }

    /// One step: completions; polls and new inbox rows into the buffer; the inputs the
    /// watermark has passed, observed in order; timers up to the watermark; commits when
    /// anything changed. Returns whether it consumed input (more may be waiting).
    func step() async throws -> Bool {
        if needsReload { try await restore() }
        let now = clock.now()
        let window = settings.reorderWindow
        let watermark = now.addingTimeInterval(-window)
        let (handed, polled) = handoff.take()
        let finished = completions + handed
        completions = []
        var touched = Set<String>()
        for key in finished {
            engine.actionsCompleted(vin: key.vin, bundle: key.bundle, rule: key.rule)
            touched.insert(key.vin)
        }
        for poll in polled { buffer.add(vin: poll.vin, at: poll.at, poll.observation, inboxId: nil) }
        let read = try await readInbox(now: now)
        let ready = window > 0 ? buffer.takeReady(through: watermark, limit: settings.engineBatch) : buffer.takeAll()
        // Each input's decisions are reviewed as soon as they are made, so a firing with no
        // command to send has completed before the next input is observed — as in replay;
        // a second rise of the same rule in one step must not find it still running.
        var reviewed: [(Decision, Int64?)] = []
        for input in ready {
            observe(input, now: now, touched: &touched, into: &reviewed)
            touched.insert(input.vin)
        }
        if engine.now != nil {
            engine.advance(to: Timestamp.millis(watermark))
            let timers = engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
            reviewed += review(timers, now: now, touched: &touched)
        }
        metrics.set(RuntimeMetrics.engineHeld, to: Double(buffer.count))
        let processed = read.processed + ready.compactMap(\.inboxId)
        let consumed = read.rows > 0 || !polled.isEmpty || !ready.isEmpty
        guard !reviewed.isEmpty || !processed.isEmpty || !touched.isEmpty || !deferred.isEmpty else { return consumed }
        deferred.touched.formUnion(touched)
        deferred.processed += processed
        // Commit now what must not wait: decisions, command progress (it frees the
        // vehicle's next command), poll answers (they are in no inbox row), a full batch,
        // shutdown. The rest waits for `Deferred.flushDelay` or the next such step.
        let urgent = !reviewed.isEmpty || !read.remoteEvents.isEmpty || !polled.isEmpty
            || deferred.processed.count >= settings.engineBatch || handoff.isStopping
        if !urgent, (deferred.remaining ?? 1) > 0 {
            if deferred.since == nil { deferred.since = .now }
            return consumed
        }
        try await commit(reviewed, touched: deferred.touched, processed: deferred.processed,
                         remoteEvents: read.remoteEvents, lastId: buffer.position, now: now)
        deferred = Deferred()
        return consumed
    }

    /// Commits now what steps that decided nothing observed (`Deferred`), as the loop
    /// does `Deferred.flushDelay` after the first of them.
    func flush() async throws {
        guard !deferred.isEmpty else { return }
        try await commit([], touched: deferred.touched, processed: deferred.processed, remoteEvents: [],
                         lastId: buffer.position, now: clock.now())
        deferred = Deferred()
    }

    /// Reads the inbox rows after those already read: notifications go to the buffer (at
    /// their `date`, or now when dated beyond the clock skew); remote events and unusable
    /// rows are handled in this step.
    private func readInbox(now: Date) async throws -> (rows: Int, processed: [Int64], remoteEvents: [DispatchRemoteEvent]) {
        let rows = try await store.unprocessedInbox(after: buffer.readUpTo, limit: settings.engineBatch)
        var processed: [Int64] = []
        var remoteEvents: [DispatchRemoteEvent] = []
        for row in rows {
            switch InboxInput(row) {
            case .observation(let vin, let at, let observation, let warnings):
                for w in warnings { logger.debug("notification decoding", metadata: ["vin": "\(vin)", "warning": "\(w)"]) }
                buffer.add(vin: vin, at: eventTime(at, vin: vin, inboxId: row.id, now: now), observation, inboxId: row.id)
            case .remote(let event):
                remoteEvents.append(event)
                processed += row.id.map { [$0] } ?? []
                metrics.increment(RuntimeMetrics.remoteEvents, ["type": event.type])
            case .unusable(let why):
                logger.warning("notification set aside", metadata: ["inboxId": "\(row.id ?? 0)", "reason": "\(why)"])
                try await store.addDeadLetter(source: "engine", body: row.body, error: why, at: now)
                processed += row.id.map { [$0] } ?? []
            }
        }
        if let last = rows.last?.id { buffer.read(upTo: last) }
        return (rows.count, processed, remoteEvents)
    }

    /// A notification's instant: its `date`, unless the sender's clock is ahead of ours by
    /// more than `maxClockSkew` — then the time it was read.
    private func eventTime(_ date: Date, vin: String, inboxId: Int64?, now: Date) -> Date {
        guard date.timeIntervalSince(now) > settings.maxClockSkew else { return date }
        logger.debug("notification dated ahead of the clock; observed as received now", metadata: [
            "vin": "\(vin)", "inboxId": "\(inboxId ?? 0)", "date": "\(RFC3339.formatUTC(Timestamp.millis(date)))",
        ])
        return now
    }

    /// Observes one input at its instant; one the engine's clock has already passed (it
    /// came later than the window allows) is observed at the engine's clock and counted.
    private func observe(_ input: ReorderBuffer.Input, now: Date, touched: inout Set<String>,
                         into reviewed: inout [(Decision, Int64?)]) {
        let t = Timestamp.millis(input.at)
        let source = input.inboxId == nil ? "poll" : "notification"
        engine.advance(to: t)
        let timers = engine.takeDecisions().map { Made(decision: $0, observedAt: Timestamp.date($0.at), stale: false, inboxId: nil) }
        reviewed += review(timers, now: now, touched: &touched)
        if let clock = engine.now, clock > t {
            metrics.increment(RuntimeMetrics.observationsLate, ["source": source])
            logger.debug("late observation: observed at the engine's clock", metadata: [
                "vin": "\(input.vin)", "inboxId": "\(input.inboxId ?? 0)", "date": "\(RFC3339.formatUTC(t))",
                "engineClock": "\(RFC3339.formatUTC(clock))",
            ])
        }
        state.note(input.vin)
        engine.observe(vin: input.vin, at: t, input.observation)
        metrics.increment(RuntimeMetrics.observations, ["source": source])
        let observed = engine.takeDecisions().map {
            Made(decision: $0, observedAt: input.at, stale: isStale($0, observedAt: input.at, now: now),
                 inboxId: input.inboxId)
        }
        reviewed += review(observed, now: now, touched: &touched)
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
        return now.timeIntervalSince(oldest) > settings.staleAfter
    }

    /// Stale data and the guardrails may turn a firing into a suppression; the engine is
    /// told at once that such a firing (and one with no command to send) has completed.
    private func review(_ made: [Made], now: Date, touched: inout Set<String>) -> [(Decision, Int64?)] {
        made.map { item in
            var d = item.decision
            if item.stale, d.event == .fired {
                d = Self.suppressed(d, .stale)
            }
            d = decisionGuard.review(d, observedAt: item.observedAt, now: now)
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
                        remoteEvents: [DispatchRemoteEvent], lastId: Int64, now: Date) async throws {
        let (states, checkpoint) = try state.changes(engine: engine, vins: touched, position: lastId)
        let step = DispatchStep(
            commit: DecisionCommit(scope: settings.scope,
                                   decisions: decisions.map {
                                       DecisionRecord($0.0, inboxId: $0.1, notifications: settings.notifications)
                                   },
                                   vehicleStates: states, checkpoint: checkpoint, processedInboxIds: processed),
            cancelsRunning: decisions.map { $0.0.event == .fired && $0.0.cancelsRunning },
            remoteEvents: remoteEvents)
        let result = try await store.commitDispatchStep(step, at: now, retry: settings.retryRule(now: now))
        state.committed(states)
        metrics.increment(RuntimeMetrics.engineTimerRuns)
        reporter.committed(decisions.map(\.0), transitions: result.transitions)
        completions += result.transitions.compactMap(\.completed)
        if let notifier = settings.notifications?.wake, step.commit.decisions.contains(where: { !$0.notifications.isEmpty }) {
            notifier.wake()
        }
        for t in result.transitions where t.status == .queued {
            if let retryAt = t.retryAt { commandsQueued.retry(at: retryAt) }
        }
        if decisions.contains(where: { $0.0.event == .fired }) || result.transitions.contains(where: { $0.status == .queued }) {
            commandsQueued.wake()
        }
    }
}
