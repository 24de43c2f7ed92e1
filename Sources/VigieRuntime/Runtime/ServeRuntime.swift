import Foundation
import Hummingbird
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import ServiceLifecycle
import UnixSignals
import WebhookServer

/// What `vigie serve` runs, in one process: the webhook receiver (inbox), the engine
/// loop (inbox → decisions → outbox, one transaction per step), the dispatcher (outbox →
/// remotes, one at a time per vehicle), the poller (status of vehicles watched by
/// polling), `/healthz`, `/readyz` and `/metrics` (docs/serve.md).
///
/// `start()` binds the listener (`boundPort` is readable after it) and starts the loops;
/// `shutdown()` stops accepting, finishes in-flight work, checkpoints and returns.
public final class ServeRuntime: @unchecked Sendable {
    public let settings: RuntimeSettings
    public let database: OutcomeDatabase
    public let bundles: [CheckedBundle]
    public let inventory: Inventory
    public let clock: any RuntimeClock
    public let logger: Logger
    /// Live counters and gauges (`/metrics` renders them).
    public let metrics = RuntimeMetrics()
    /// The receiver's own counters.
    public let intake = IntakeCounters()

    let decisionGuard: any DecisionGuard
    let pollIntervals: [String: Double]
    private let apiProvider: @Sendable () async throws -> any VehicleAPI
    private let lock = NSLock()
    private var state = State()

    private struct State {
        var port: Int?
        var started = false
        var stopped = false
        var api: (any VehicleAPI)?
        var serverGroup: ServiceGroup?
        var serverTask: Task<Void, Error>?
        var engine: EngineLoop?
        var dispatcher: Dispatcher?
        var poller: Poller?
        var loopTasks: [Task<Void, Never>] = []
        /// Why the API cannot be used now (nil: it can); see `readiness`.
        var apiUnavailable: String? = "not connected yet"
        var connectTask: Task<Void, Never>?
    }

    /// - Parameters:
    ///   - pollIntervals: VIN → seconds between status polls (vehicles with a rule the
    ///     compiler could not watch server-side); see `ServeRuntime.pollIntervals(…)`.
    ///   - api: builds the API access when the runtime starts.
    public init(settings: RuntimeSettings, database: OutcomeDatabase, bundles: [CheckedBundle],
                inventory: Inventory = Inventory(), pollIntervals: [String: Double] = [:],
                decisionGuard: any DecisionGuard = NoGuard(), clock: any RuntimeClock = SystemClock(),
                logger: Logger = Logger(label: "vigie.serve"),
                api: @escaping @Sendable () async throws -> any VehicleAPI) {
        self.settings = settings
        self.database = database
        self.bundles = bundles
        self.inventory = inventory
        self.pollIntervals = pollIntervals
        self.decisionGuard = decisionGuard
        self.clock = clock
        self.logger = logger
        self.apiProvider = api
    }

    /// The port the receiver listens on, once `start()` returned.
    public var boundPort: Int? { lock.withLock { state.port } }

    /// The API access, once started.
    public var api: (any VehicleAPI)? { lock.withLock { state.api } }

    /// Whether the runtime can do all its work: `reason` says why not (the API or the
    /// session is unavailable). Notifications are received and stored either way.
    public var readiness: (ready: Bool, reason: String?) {
        lock.withLock { (state.apiUnavailable == nil, state.apiUnavailable) }
    }

    /// Binds the listener and starts the engine loop — so notifications are received,
    /// stored and evaluated before anything talks to the API — then the dispatcher and
    /// poller once the API access can be built. When it cannot (the API is down, the
    /// session expired, no callback deployed yet), serve stays up: `readiness` says why,
    /// commands wait in the outbox, and the access is tried again in the background with
    /// capped back-off (`apiRetryBase`, `apiRetryCap`). Throws only when the listener
    /// cannot be bound or the saved state cannot be read.
    public func start() async throws {
        try lock.withLock {
            guard !state.started else { throw ServeError.alreadyStarted }
            state.started = true
        }
        let engine = try EngineLoop(runtime: self)
        lock.withLock { state.engine = engine }
        try await startServer()
        let engineTask = Task { await engine.run() }
        lock.withLock { state.loopTasks = [engineTask] }
        do {
            try await connect(try await apiProvider(), engine: engine)
        } catch {
            apiUnavailable(because: error)
            let retry = Task { await self.keepConnecting(engine: engine) }
            lock.withLock { state.connectTask = retry }
        }
        logger.info("vigie serve started", metadata: [
            "port": "\(boundPort ?? 0)", "bundles": "\(bundles.count)", "vehicles": "\(inventory.vehicles.count)",
            "polled": "\(pollIntervals.count)",
        ])
    }

    /// Starts the dispatcher (after its recovery of commands left in flight) and the
    /// poller over `api`; marks the runtime ready. After shutdown began it only closes `api`.
    private func connect(_ api: any VehicleAPI, engine: EngineLoop) async throws {
        let dispatcher = Dispatcher(runtime: self, api: api, engine: engine)
        let poller = Poller(runtime: self, api: api, engine: engine)
        do {
            try await dispatcher.recover()
        } catch {
            await api.shutdown()
            throw error
        }
        let (accepted, wasUnavailable) = lock.withLock { () -> (Bool, String?) in
            guard !state.stopped else { return (false, nil) }
            state.api = api
            state.dispatcher = dispatcher
            state.poller = poller
            state.loopTasks += [Task { await dispatcher.run() }, Task { await poller.run() }]
            defer { state.apiUnavailable = nil }
            return (true, state.apiUnavailable)
        }
        guard accepted else { return await api.shutdown() }
        metrics.set(RuntimeMetrics.apiReady, to: 1)
        if wasUnavailable != "not connected yet" { logger.info("Stellantis API available again; commands resume") }
    }

    /// Records (and logs once per change of reason) why the API cannot be used.
    private func apiUnavailable(because error: Error) {
        let reason = "\(error)"
        let changed = lock.withLock { () -> Bool in
            defer { state.apiUnavailable = reason }
            return state.apiUnavailable != reason
        }
        metrics.set(RuntimeMetrics.apiReady, to: 0)
        if changed {
            logger.warning("Stellantis API unavailable; notifications are still stored, commands wait",
                           metadata: ["reason": "\(reason)"])
        }
    }

    /// Tries to build the API access until it works or shutdown begins.
    private func keepConnecting(engine: EngineLoop) async {
        var retry = 0
        while !Task.isCancelled {
            let delay = min(settings.apiRetryCap, settings.apiRetryBase * pow(2, Double(min(retry, 20))))
            do { try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000)) } catch { return }
            retry += 1
            do {
                try await connect(try await apiProvider(), engine: engine)
                return
            } catch {
                if Task.isCancelled { return }
                apiUnavailable(because: error)
            }
        }
    }

    /// Graceful shutdown: stop accepting notifications (requests in progress are
    /// answered), process what the inbox holds up to the watermark (newer rows stay in
    /// the inbox for the next start, docs/serve.md), let commands being POSTed finish and
    /// be recorded, checkpoint. Safe to call more than once.
    public func shutdown() async {
        let connecting = lock.withLock { () -> Task<Void, Never>? in
            defer { state.connectTask = nil }
            return state.stopped ? nil : state.connectTask
        }
        connecting?.cancel()
        await connecting?.value
        let (group, serverTask, engine, dispatcher, poller, tasks) = lock.withLock { () -> (ServiceGroup?, Task<Void, Error>?, EngineLoop?, Dispatcher?, Poller?, [Task<Void, Never>]) in
            if state.stopped { return (nil, nil, nil, nil, nil, []) }
            state.stopped = true
            return (state.serverGroup, state.serverTask, state.engine, state.dispatcher, state.poller, state.loopTasks)
        }
        guard group != nil || engine != nil else { return }
        logger.info("vigie serve shutting down")
        await group?.triggerGracefulShutdown()
        _ = try? await serverTask?.value
        poller?.stop()
        dispatcher?.stop()
        engine?.stop()
        for task in tasks { await task.value }
        await api?.shutdown()
        logger.info("vigie serve stopped", metadata: ["inboxUnprocessed": "\(metrics.value(RuntimeMetrics.inboxUnprocessed))"])
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully (`vigie serve`).
    public func runUntilSignalled() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        try await start()
        for await signal in signals {
            logger.info("signal received", metadata: ["signal": "\(signal)"])
            break
        }
        await shutdown()
    }

    // MARK: HTTP

    private func startServer() async throws {
        let webhook = WebhookConfiguration(secret: settings.webhookSecret, maxBodyBytes: settings.maxBodyBytes,
                                           host: settings.host, port: settings.port)
        let committer = InboxCommitter(database: database)
        let router = buildRouter(configuration: webhook, committer: committer, counters: intake, logger: logger)
        router.get("/readyz") { [self] _, _ in
            let (ready, reason) = readiness
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            let text = ready ? "ready\n" : "not ready: \(reason ?? "unknown")\n"
            return Response(status: ready ? .ok : .serviceUnavailable, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/metrics") { [self] _, _ in
            refreshGauges()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        let bound = PortSignal()
        let app = Application(router: router,
                              server: webhook.httpServer,  // idle and request time-outs (slow clients)
                              configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "vigie"),
                              onServerRunning: { channel in bound.resolve(.success(channel.localAddress?.port ?? 0)) },
                              logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        let task = Task {
            do {
                try await group.run()
            } catch {
                bound.resolve(.failure(error))
                throw error
            }
            bound.resolve(.failure(ServeError.serverStopped))
        }
        lock.withLock {
            state.serverGroup = group
            state.serverTask = task
        }
        let port = try await bound.value()
        lock.withLock { state.port = port }
    }

    /// Copies the receiver's counters, queue depths and rate limits into the metrics.
    func refreshGauges() {
        let c = intake.snapshot
        metrics.set(RuntimeMetrics.webhookRequests, to: Double(c.requests))
        metrics.set(RuntimeMetrics.notificationsStored, to: Double(c.stored))
        metrics.set(RuntimeMetrics.notificationsDuplicate, to: Double(c.duplicates))
        metrics.set(RuntimeMetrics.notificationsDeadLetter, to: Double(c.deadLetters))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "unauthorized"], to: Double(c.unauthorized))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "too_large"], to: Double(c.tooLarge))
        metrics.set(RuntimeMetrics.webhookRefused, ["reason": "storage_failure"], to: Double(c.storageFailures))
        if let depths = try? database.runtimeQueueDepths() {
            metrics.set(RuntimeMetrics.inboxUnprocessed, to: Double(depths.inboxUnprocessed))
            metrics.set(RuntimeMetrics.outboxQueued, to: Double(depths.outboxQueued))
            metrics.set(RuntimeMetrics.outboxInFlight, to: Double(depths.outboxInFlight))
        }
        if let limits = api?.rateLimitStatus {
            if let v = limits.dayRemaining { metrics.set(RuntimeMetrics.rateLimitRemaining, ["window": "day"], to: Double(v)) }
            if let v = limits.burstRemaining { metrics.set(RuntimeMetrics.rateLimitRemaining, ["window": "burst"], to: Double(v)) }
            if let v = limits.dayLimit { metrics.set(RuntimeMetrics.rateLimitLimit, ["window": "day"], to: Double(v)) }
            if let v = limits.burstLimit { metrics.set(RuntimeMetrics.rateLimitLimit, ["window": "burst"], to: Double(v)) }
        }
    }
}

/// Errors starting the runtime.
public enum ServeError: Error, CustomStringConvertible {
    case alreadyStarted
    case serverStopped
    case configuration(String)

    public var description: String {
        switch self {
        case .alreadyStarted: return "the runtime is already started"
        case .serverStopped: return "the HTTP server stopped before it was listening"
        case .configuration(let text): return text
        }
    }
}

/// Resolves once with the bound port (or the error that kept the server from binding).
final class PortSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Int, Error>?
    private var waiters: [CheckedContinuation<Int, Error>] = []

    func resolve(_ value: Result<Int, Error>) {
        let pending: [CheckedContinuation<Int, Error>] = lock.withLock {
            guard result == nil else { return [] }
            result = value
            defer { waiters = [] }
            return waiters
        }
        for waiter in pending { waiter.resume(with: value) }
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Int, Error>? = lock.withLock {
                if let result { return result }
                waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
