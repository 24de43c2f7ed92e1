import Foundation
import VehicleData
import Logging
import Notifications
import OutcomeStore
import ServiceLifecycle
import Synchronization

/// The notifier service: delivers the notifications the store holds (a rule's, enqueued
/// with its decision; Vigie's own alerts) through their channels, at least once, never
/// blocking the engine or the dispatcher (docs/notifications.md "What a delivery
/// guarantees", docs/architecture.md).
///
/// Each delivery is claimed in the store (`sending`, with a lease of twice the channel's
/// time-out plus 5 s) before it is sent; how the attempt ended is recorded after it — so a
/// delivery whose process died mid-send is claimed again when its lease ends, and sent
/// again under the same delivery id. Outcomes are recorded in group commits (one
/// transaction for all the attempts that ended meanwhile). A retryable answer (time-out,
/// 408/425/429, 5xx) is retried after the provider's `Retry-After`, else after an
/// exponential back-off with jitter, until the channel's `max_age` has passed since the
/// delivery was made: then it is `expired`. Any other refusal is `failed` at once, and
/// `onGiveUp` is told. A channel's `rate_limit` keeps deliveries queued until a slot
/// frees. `vigie pause` does not hold notifications.
///
/// Woken by `settings.wake` (the engine committed deliveries, a send finished), else it
/// sleeps until the next due delivery, rate-limit slot or lease end on the clock (the
/// safety sweep is a fallback for deliveries another process scheduled). Graceful
/// shutdown: claims nothing more, lets the sends in flight finish and be recorded.
final class Notifier: Service, Sendable {
    let settings: NotifierSettings
    let store: any RuntimeStore
    let clock: any VigieClock
    let channels: [String: any NotificationChannel]
    let metrics: RuntimeMetrics?
    let logger: Logger

    private struct State {
        var inFlight: [String: Int] = [:]
        var limits: [String: NotifierRateLimit] = [:]
        var tasks: [Int64: Task<Void, Never>] = [:]
        /// Attempts that ended and are not recorded yet (the recorder's next group commit).
        var ended: [(NotificationDeliveryRecord, NotificationAttemptReport)] = []
        var recording = false
        var stopping = false
        var lastStats: Date?
    }

    private let state = Mutex(State())
    /// Signalled when attempts ended: the recorder's wake-up.
    private let recorderWake = WakeSignal()

    /// - Parameter channels: channel name → the code that sends through it (built from
    ///   `settings.channels` by `NotificationSender`, or fakes in tests).
    init(settings: NotifierSettings, store: any RuntimeStore, clock: any VigieClock,
         channels: [String: any NotificationChannel], metrics: RuntimeMetrics?, logger: Logger) {
        self.settings = settings
        self.store = store
        self.clock = clock
        self.channels = channels
        self.metrics = metrics
        self.logger = logger
        state.withLock { s in
            for channel in settings.channels { s.limits[channel.name] = NotifierRateLimit(channel.rateLimit) }
        }
    }

    /// The channels of `settings`, each built by `NotificationSender` (throws for settings
    /// that cannot work at all; the message names no secret).
    static func channels(for settings: NotifierSettings) throws -> [String: any NotificationChannel] {
        var out: [String: any NotificationChannel] = [:]
        for configuration in settings.channels {
            out[configuration.name] = try NotificationSender.channel(for: configuration)
        }
        return out
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.recordLoop() }
                await self.loop()
                state.withLock { $0.stopping = true }
                for task in state.withLock({ Array($0.tasks.values) }) { await task.value }
                recorderWake.signal()
                await group.waitForAll()
            }
        } onGracefulShutdown: { [self] in
            state.withLock { $0.stopping = true }
            settings.wake.wake()
        }
    }

    // MARK: Claiming and sending

    private func loop() async {
        var failures = 0
        while !state.withLock({ $0.stopping }) && !Task.isCancelled {
            var deadline: Date?
            do {
                var more = true
                while more && !state.withLock({ $0.stopping }) {
                    (more, deadline) = try await step()
                }
                failures = 0
                await sampleQueue()
            } catch {
                failures += 1
                if failures == 1 { logger.error("notifier step failed", metadata: ["error": "\(error)"]) }
                deadline = clock.now().addingTimeInterval(settings.backoff.delay(retry: failures - 1) / 5)
            }
            await settings.wake.signal.wait(until: deadline, clock: clock, sweep: settings.sweep)
        }
    }

    /// Claims and starts what is due on every channel. Returns whether a claim was full (more
    /// may be due at once) and the next deadline otherwise.
    private func step() async throws -> (more: Bool, deadline: Date?) {
        let now = clock.now()
        var deadline: Date?
        var more = false
        for (name, due) in try await store.notificationSchedule().sorted(by: { $0.key < $1.key }) {
            if due > now {
                deadline = min(deadline ?? due, due)
                continue
            }
            let configuration = settings.channel(named: name)
            let (wanted, slot) = state.withLock { s -> (Int, Date?) in
                let inFlight = s.inFlight[name, default: 0]
                let free = settings.concurrency - inFlight
                var limit = s.limits[name] ?? NotifierRateLimit(nil)
                let allowed = limit.available(at: now)
                let slot = limit.nextSlot(at: now)
                s.limits[name] = limit
                // Under load, claims wait for a quarter of the slots to free: fewer, larger
                // claim transactions (each is a write the engine's commits queue behind).
                let wanted = min(free, allowed, settings.batch)
                guard inFlight == 0 || wanted >= min(allowed, max(1, settings.concurrency / 4)) else { return (0, slot) }
                return (max(0, wanted), slot)
            }
            if let slot { deadline = min(deadline ?? slot, slot) }
            guard wanted > 0 else { continue }   // a send ending or a slot freeing wakes the loop
            let timeout = configuration?.timeout ?? 15
            let claimed = try await store.claimNotificationDeliveries(
                channel: name, at: now, limit: wanted, leaseUntil: now.addingTimeInterval(2 * timeout + 5))
            if claimed.count == wanted { more = true }
            for delivery in claimed { start(delivery, configuration: configuration, now: now) }
        }
        return (more, deadline)
    }

    private func start(_ delivery: NotificationDeliveryRecord, configuration: ChannelConfiguration?, now: Date) {
        state.withLock { s in
            s.inFlight[delivery.channel, default: 0] += 1
            s.limits[delivery.channel]?.started(at: now)
            s.tasks[delivery.id] = Task { [self] in
                let outcome = await attempt(delivery, configuration: configuration)
                ended(delivery, NotificationAttemptReport(deliveryRowId: delivery.id, attempt: delivery.attempts,
                                                          outcome: outcome))
            }
        }
    }

    /// One attempt: sends, then says what to record.
    private func attempt(_ delivery: NotificationDeliveryRecord,
                         configuration: ChannelConfiguration?) async -> NotificationAttemptOutcome {
        guard let configuration, let channel = channels[delivery.channel] else {
            return .failed(detail: "channel \(delivery.channel) is not configured", httpStatus: nil)
        }
        let deadline = delivery.createdAt.addingTimeInterval(configuration.maxAge)
        guard clock.now() < deadline else {
            return .expired(detail: "not delivered within max_age (\(Int(configuration.maxAge)) s)", httpStatus: nil)
        }
        let result = await channel.deliver(message(delivery))
        let status = Self.httpStatus(in: result.detail)
        switch result {
        case .delivered(let summary):
            return .delivered(detail: summary, httpStatus: status)
        case .failed(let reason):
            return .failed(detail: reason, httpStatus: status)
        case .retryable(_, let retryAfter):
            let wait = retryAfter ?? jittered(settings.backoff.delay(retry: delivery.attempts - 1))
            let retryAt = clock.now().addingTimeInterval(max(0, wait))
            guard retryAt < deadline else {
                return .expired(detail: "\(result.detail); not delivered within max_age (\(Int(configuration.maxAge)) s)",
                                httpStatus: status)
            }
            return .retry(at: retryAt, detail: result.detail, httpStatus: status)
        }
    }

    /// Between half and all of `delay` (equal jitter): retries of deliveries that failed
    /// together spread out.
    private func jittered(_ delay: Double) -> Double {
        delay / 2 + delay / 2 * min(max(settings.random(), 0), 1)
    }

    func message(_ delivery: NotificationDeliveryRecord) -> NotificationMessage {
        let request = delivery.request
        let kind: NotificationMessage.Kind
        if request.kind == .alert {
            kind = .alert(kind: request.alert ?? "alert",
                          state: NotificationMessage.AlertState(rawValue: request.alertState ?? "") ?? .firing)
        } else {
            kind = .notification
        }
        return NotificationMessage(id: delivery.deliveryId, kind: kind, at: request.at, vin: request.vin,
                                   vehicle: request.vehicle, bundle: request.bundle, rule: request.rule,
                                   title: request.title, text: request.text,
                                   priority: NotificationPriority(rawValue: request.priority) ?? .normal)
    }

    /// The HTTP status an HTTP channel's summary starts with (`HTTP 503 …`), if any.
    static func httpStatus(in detail: String) -> Int? {
        guard let range = detail.range(of: "HTTP ") else { return nil }
        return Int(detail[range.upperBound...].prefix { $0.isNumber })
    }

    // MARK: Recording (group commits)

    private func ended(_ delivery: NotificationDeliveryRecord, _ report: NotificationAttemptReport) {
        state.withLock { s in
            s.ended.append((delivery, report))
            s.inFlight[delivery.channel, default: 1] -= 1
            s.tasks[delivery.id] = nil
        }
        recorderWake.signal()
        settings.wake.wake()
    }

    /// Records the attempts that ended, all those of a moment in one transaction, until
    /// stopped with nothing left to record.
    private func recordLoop() async {
        var failures = 0
        while true {
            let batch = state.withLock { s -> [(NotificationDeliveryRecord, NotificationAttemptReport)] in
                defer { s.ended = [] }
                return s.ended
            }
            if batch.isEmpty {
                if state.withLock({ $0.stopping && $0.tasks.isEmpty && $0.ended.isEmpty }) { return }
                await recorderWake.wait(until: nil, clock: clock, sweep: 1)
                continue
            }
            do {
                let recorded = try await store.recordNotificationAttempts(batch.map(\.1), at: clock.now())
                failures = 0
                for (i, (delivery, report)) in batch.enumerated() {
                    finished(delivery, report.outcome, recorded: i < recorded.count && recorded[i])
                }
            } catch {
                // Not recorded: the deliveries stay `sending` until their lease ends, then are
                // sent again (at least once). Retried here first.
                failures += 1
                logger.error("notifier could not record attempts", metadata: ["error": "\(error)",
                                                                              "attempts": "\(batch.count)"])
                if failures > 5 {
                    continue
                }
                state.withLock { $0.ended = batch + $0.ended }
                try? await clock.sleep(until: clock.now().addingTimeInterval(settings.backoff.delay(retry: failures - 1) / 5))
            }
        }
    }

    private func finished(_ delivery: NotificationDeliveryRecord, _ outcome: NotificationAttemptOutcome, recorded: Bool) {
        metrics?.increment(RuntimeMetrics.notificationDeliveries, ["channel": delivery.channel, "outcome": outcome.name])
        var meta: Logger.Metadata = ["channel": "\(delivery.channel)", "deliveryId": "\(delivery.deliveryId)",
                                     "attempt": "\(delivery.attempts)", "outcome": "\(outcome.name)",
                                     "detail": "\(outcome.detail)"]
        if !recorded { meta["recorded"] = "false" }
        switch outcome {
        case .delivered:
            logger.info("notification delivered", metadata: meta)
            if recorded { settings.onDelivered?(delivery.channel) }
        case .retry(let at, _, _):
            meta["retryAt"] = "\(Timestamp.format(at))"
            logger.notice("notification delivery will be retried", metadata: meta)
        case .failed, .expired:
            logger.warning("notification not delivered", metadata: meta)
            if recorded, let onGiveUp = settings.onGiveUp {
                let giveUp = NotifierGiveUp(delivery: delivery, status: outcome.status, detail: outcome.detail)
                Task { await onGiveUp(giveUp) }
            }
        }
    }

    /// The queue gauges, at most once a second.
    private func sampleQueue() async {
        guard let metrics else { return }
        let now = clock.now()
        let due = state.withLock { s -> Bool in
            if let last = s.lastStats, now.timeIntervalSince(last) < 1 { return false }
            s.lastStats = now
            return true
        }
        guard due, let stats = try? await store.notificationQueueStats() else { return }
        metrics.set(RuntimeMetrics.notificationQueue, to: Double(stats.pending))
        metrics.set(RuntimeMetrics.notificationOldest,
                    to: stats.oldestCreatedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }
}

extension NotifierSettings {
    /// A notifier service outside `vigie serve` (the `vigie bench notify` benchmark): the
    /// same service `ServeRuntime` runs, with its channels built from these settings.
    package func service(store: any RuntimeStore, clock: any VigieClock, metrics: RuntimeMetrics?,
                        logger: Logger) throws -> any Service {
        Notifier(settings: self, store: store, clock: clock, channels: try Notifier.channels(for: self),
                 metrics: metrics, logger: logger)
    }
}
