import Foundation
import VehicleData
import Logging
import OutcomeStore
import ServiceLifecycle
import Synchronization

/// The alert monitor service: finds the troubles Vigie alerts about and hands them to
/// `AlertCenter` (docs/notifications.md, "Vigie's own alerts"). At each pass it
///
/// 1. drains the hooks' events (`AlertEvents`): a command that failed for good opens
///    `command-failed` for its vehicle and rule, a later success of that rule on that
///    vehicle resolves it; a channel that gave up opens `channel-failing`, a later
///    delivery through it resolves it;
/// 2. reads the API access's readiness: a session failure opens `session-expired`, the
///    API usable again resolves it (another failure, e.g. the network, changes nothing);
/// 3. reads the guardrails' state from the store — open loop stops, open flapping holds,
///    the budget stops journalled in the current budget day (month, for the monthly
///    wake-up cap) — and reconciles `loop-stopped`, `flapping` and `budget-spent` with it;
/// 4. samples the receiver's count of calls refused for a wrong secret (`AlertBurst`).
///
/// Woken by the hooks, at the next budget day in the budgets' time zone (clock), and
/// every `sweep` seconds of real time. Graceful shutdown: returns after the pass under way.
final class AlertMonitor: Service, Sendable {
    let center: AlertCenter
    let events: AlertEvents
    let store: any RuntimeStore
    let clock: any VigieClock
    let budget: DispatchBudget
    /// The API access's readiness (nil: not watched).
    let readiness: (@Sendable () -> (ready: Bool, reason: String?))?
    /// The receiver's running count of calls refused for a wrong secret (nil: not watched).
    let refusedCalls: (@Sendable () -> Int)?
    let sweep: Double
    let logger: Logger
    private let burst: Mutex<AlertBurst>

    init(center: AlertCenter, events: AlertEvents, store: any RuntimeStore, clock: any VigieClock,
         budget: DispatchBudget, readiness: (@Sendable () -> (ready: Bool, reason: String?))?,
         refusedCalls: (@Sendable () -> Int)?, burst: AlertBurst = AlertBurst(), sweep: Double = 2, logger: Logger) {
        self.center = center
        self.events = events
        self.store = store
        self.clock = clock
        self.budget = budget
        self.readiness = readiness
        self.refusedCalls = refusedCalls
        self.burst = Mutex(burst)
        self.sweep = sweep
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            do { try await self.center.flush() } catch {
                self.logger.error("alerts: cannot read the incidents", metadata: ["error": "\(error)"])
            }
            while !Task.isCancelled {
                let deadline = await self.pass()
                await self.events.wake.wait(until: deadline, clock: self.clock, sweep: self.sweep)
            }
        }
    }

    /// One pass (see the type's documentation); returns the next budget boundary.
    @discardableResult
    func pass() async -> Date {
        let now = clock.now()
        await center.refresh()
        await step("events") { try await self.handle(self.events.drain()) }
        await step("session") { try await self.checkSession() }
        await step("guardrails") { try await self.checkGuardrails(now: now) }
        await step("webhook") { try await self.checkWebhook(now: now) }
        await step("channels") {
            let keys = try await self.center.openKeys()
            self.events.setFailingChannels(Set(keys.compactMap { key in
                Alert.failingChannel(of: AlertIncidentRecord(key: key, kind: "", title: "", text: "", openedAt: now))
            }))
        }
        return budget.day(of: now).end
    }

    private func step(_ what: String, _ body: @Sendable () async throws -> Void) async {
        do { try await body() } catch {
            logger.error("alerts: \(what) not checked", metadata: ["error": "\(error)"])
        }
    }

    private func handle(_ events: [AlertEvents.Event]) async throws {
        for event in events {
            switch event {
            case .command(let vin, let bundle, let rule, let status, let cause):
                if status == .failed || status == .timedOut {
                    try await center.raise(.commandFailed(vin: vin, bundle: bundle, rule: rule, status: status,
                                                          cause: cause))
                } else {
                    try await center.resolve(key: Alert.commandKey(vin: vin, bundle: bundle, rule: rule),
                                             text: Alert.commandResolved(vin: vin, bundle: bundle, rule: rule))
                }
            case .channelGaveUp(let channel, let status, let detail):
                try await center.raise(.channelFailing(channel, status: status, detail: detail))
            case .channelDelivered(let channel):
                try await center.resolve(key: Alert.channelKey(channel), text: Alert.channelResolved(channel))
            }
        }
    }

    /// A session failure (the reasons `APIAccess` gives for one) opens the incident; the API
    /// usable again resolves it.
    private func checkSession() async throws {
        guard let readiness else { return }
        let (ready, reason) = readiness()
        if ready {
            try await center.resolve(key: Alert.sessionKey, text: Alert.sessionResolved)
        } else if let reason, Self.isSessionFailure(reason) {
            try await center.raise(.sessionExpired(reason: reason))
        }
    }

    /// `session unavailable: …` (a session that died while running), `authentication
    /// failed: …` (none at start: no tokens, a refresh refused).
    static func isSessionFailure(_ reason: String) -> Bool {
        reason.hasPrefix("session unavailable") || reason.hasPrefix("authentication failed")
    }

    private func checkGuardrails(now: Date) async throws {
        let loops = try await store.activeHolds().filter { $0.kind == .loop }.compactMap(Alert.loopStopped)
        try await center.reconcile(.loopStopped, firing: loops, resolution: Alert.loopResolved)
        let flaps = try await store.openFlapHolds().compactMap(Alert.flapping)
        try await center.reconcile(.flapping, firing: flaps, resolution: Alert.flappingResolved)

        let day = budget.day(of: now), month = budget.month(of: now)
        var spent: [Alert] = []
        for event in try await store.controlEvents(kind: .budgetStopped, vin: nil, since: min(day.start, month.start)) {
            let monthly = event.detail?.hasPrefix("monthly") == true
            guard event.at >= (monthly ? month.start : day.start), event.at < (monthly ? month.end : day.end),
                  let alert = Alert.budgetSpent(event, monthly: monthly) else { continue }
            if !spent.contains(where: { $0.key == alert.key }) { spent.append(alert) }
        }
        try await center.reconcile(.budgetSpent, firing: spent, resolution: Alert.budgetResolved)
    }

    private func checkWebhook(now: Date) async throws {
        guard let refusedCalls else { return }
        let level = burst.withLock { $0.sample(count: refusedCalls(), at: now) }
        switch level {
        case .burst(let count):
            let window = burst.withLock { $0.window }
            try await center.raise(.webhookSecret(count: count, window: window))
        case .quiet:
            let quiet = burst.withLock { $0.quiet }
            try await center.resolve(key: Alert.webhookKey, text: Alert.webhookResolved(quiet: quiet))
        case nil:
            break
        }
    }
}
