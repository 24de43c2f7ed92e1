import Foundation
import Hummingbird
import Logging
import OutcomeStore
import PostgresStore
import RuleEngine
import RuleLanguage
import ServiceLifecycle
import Synchronization
import UnixSignals
import VehicleData
import WebhookServer

/// How `vigie serve` and the tests start the runtime: builds the services — admin
/// listener, API connector, engine, dispatcher, poller, control watcher, receiver
/// (docs/architecture.md "Runtime services") — with what each needs, and runs them in
/// ONE `ServiceGroup`. The services know nothing of this type.
///
/// `start()` returns once both listeners are bound (`boundPort`, `adminPort`);
/// `shutdown()` is the group's graceful shutdown, in reverse order of the list: the
/// receiver stops accepting (requests in progress are answered), the poller and the
/// control watcher stop, the dispatcher lets the POSTs in flight finish and be recorded,
/// the engine processes the inbox up to the watermark and checkpoints, the API access
/// is released, the admin listener stops last.
package final class ServeRuntime: Sendable {
    package let settings: RuntimeSettings
    /// Where everything durable goes: the SQLite `database`, or PostgreSQL (`postgres`).
    package let store: any RuntimeStore
    /// The SQLite database, when that is the store (nil on PostgreSQL).
    package let database: OutcomeDatabase?
    /// The PostgreSQL store, when that is the store: its client runs in the ServiceGroup,
    /// and the schema is migrated before the other services start.
    package let postgres: PostgresStore?
    /// On PostgreSQL, the store the partition keeper renews its leases on: a client of
    /// its own with one connection (`PostgresStore.leaseStore`).
    let leases: PostgresStore?
    package let bundles: [CheckedBundle]
    package let inventory: Inventory
    package let clock: any VigieClock
    package let logger: Logger
    /// Live counters and gauges (`/metrics` renders them).
    package let metrics = RuntimeMetrics()
    /// The receiver's own counters.
    package let intake = IntakeCounters()
    /// This process among the instances sharing a PostgreSQL store: its partition leases'
    /// owner (host, pid and a random suffix).
    package let instanceName = ServeRuntime.makeInstanceName()

    let decisionGuard: any DecisionGuard
    /// The guardrails' copy of the holds, on PostgreSQL (`ControlMirror`).
    let controlMirror: ControlMirror?
    let pollIntervals: [String: Double]
    private let apiProvider: @Sendable () async throws -> any VehicleAPI
    private let access: APIAccess
    private let receiverBound = Once<Int>()
    private let adminBound = Once<Int>()
    /// Resolved when the group has ended: nil after a graceful shutdown, else why.
    private let ended = Once<String?>()
    private let state = Mutex(State())

    private struct State {
        var started = false
        var group: ServiceGroup?
        var task: Task<Void, Never>?
        var adminRoutes: [AdminRoutes] = []
    }

    /// Adds routes to the admin listener (the web console, docs/console.md), before `start()`.
    package typealias AdminRoutes = @Sendable (Router<BasicRequestContext>) -> Void

    package func addAdminRoutes(_ routes: @escaping AdminRoutes) {
        state.withLock { $0.adminRoutes.append(routes) }
    }

    /// - Parameters:
    ///   - pollIntervals: VIN → seconds between status polls (vehicles with a rule the
    ///     compiler could not watch server-side); see `ServeRuntime.pollIntervals(…)`.
    ///   - api: builds the API access when the runtime starts.
    package convenience init(settings: RuntimeSettings, database: OutcomeDatabase, bundles: [CheckedBundle],
                inventory: Inventory = Inventory(), pollIntervals: [String: Double] = [:],
                decisionGuard: any DecisionGuard = NoGuard(), clock: any VigieClock = SystemClock(),
                logger: Logger = Logger(label: "vigie.serve"),
                api: @escaping @Sendable () async throws -> any VehicleAPI) {
        self.init(settings: settings, store: database, database: database, postgres: nil, controlMirror: nil,
                  bundles: bundles, inventory: inventory, pollIntervals: pollIntervals, decisionGuard: decisionGuard,
                  clock: clock, logger: logger, api: api)
    }

    /// The runtime on a PostgreSQL store (docs/cluster.md): `start()` runs its client,
    /// migrates the schema and loads `controlMirror` (the guard's copy of the holds, which
    /// `decisionGuard` reads) before the other services start.
    package convenience init(settings: RuntimeSettings, postgres: PostgresStore, controlMirror: ControlMirror?,
                            bundles: [CheckedBundle], inventory: Inventory = Inventory(),
                            pollIntervals: [String: Double] = [:], decisionGuard: any DecisionGuard = NoGuard(),
                            clock: any VigieClock = SystemClock(), logger: Logger = Logger(label: "vigie.serve"),
                            api: @escaping @Sendable () async throws -> any VehicleAPI) {
        self.init(settings: settings, store: postgres, database: nil, postgres: postgres, controlMirror: controlMirror,
                  bundles: bundles, inventory: inventory, pollIntervals: pollIntervals, decisionGuard: decisionGuard,
                  clock: clock, logger: logger, api: api)
    }

    init(settings: RuntimeSettings, store: any RuntimeStore, database: OutcomeDatabase?, postgres: PostgresStore?,
         controlMirror: ControlMirror?, bundles: [CheckedBundle], inventory: Inventory,
         pollIntervals: [String: Double], decisionGuard: any DecisionGuard, clock: any VigieClock, logger: Logger,
         api: @escaping @Sendable () async throws -> any VehicleAPI) {
        self.settings = settings
        self.store = store
        self.database = database
        self.postgres = postgres
        leases = postgres?.leaseStore()
        self.controlMirror = controlMirror
        self.bundles = bundles
        self.inventory = inventory
        self.pollIntervals = pollIntervals
        self.decisionGuard = decisionGuard
        self.clock = clock
        self.logger = logger
        self.apiProvider = api
        access = APIAccess(metrics: metrics, logger: logger)
    }

    /// The port the receiver listens on, once `start()` returned.
    package var boundPort: Int? { receiverBound.current }

    /// The port the admin listener listens on, once `start()` returned.
    package var adminPort: Int? { adminBound.current }

    /// The API access, once built.
    package var api: (any VehicleAPI)? { access.current }

    /// Whether the runtime can do all its work: `reason` says why not (the API or the
    /// session is unavailable). Notifications are received and stored either way.
    package var readiness: (ready: Bool, reason: String?) { access.readiness }

    /// Restores the engine state, starts the services and returns once both listeners
    /// are bound — so notifications are received, stored and evaluated before anything
    /// talks to the API. When the API access cannot be built (the API is down, the
    /// session expired, no callback deployed yet), serve stays up: `readiness` says why,
    /// commands wait in the outbox, and the access is tried again in the background with
    /// capped back-off (`apiRetryBase`, `apiRetryCap`). Throws only when the saved state
    /// cannot be read or a listener cannot be bound (the error names its address).
    package func start() async throws {
        try state.withLock { s in
            guard !s.started else { throw ServeError.alreadyStarted }
            s.started = true
        }
        let group: ServiceGroup
        if let postgres {
            group = outerGroup(postgres)
        } else {
            group = try await makeGroup()
        }
        let task = Task { [ended] in
            do {
                try await group.run()
                ended.resolve(.success(nil))
            } catch {
                ended.resolve(.success("\(error)"))
            }
        }
        state.withLock { s in
            s.group = group
            s.task = task
        }
        do {
            _ = try await receiverBound.value()
            _ = try await adminBound.value()
        } catch {
            await group.triggerGracefulShutdown()
            await task.value
            throw error
        }
        logger.info("vigie serve started", metadata: [
            "port": "\(boundPort ?? 0)", "adminPort": "\(adminPort ?? 0)", "bundles": "\(bundles.count)",
            "vehicles": "\(inventory.vehicles.count)", "polled": "\(pollIntervals.count)",
        ])
    }

    /// On PostgreSQL: the store's client, then the runtime's services, which start once
    /// the client runs, the schema is migrated, the partition count checked
    /// (`preparePartitions`) and the holds are read (`ServeStage`). Several instances
    /// share the database: each runs the partitions it holds (`PartitionService`).
    /// Shutdown stops the services first and the client last.
    private func outerGroup(_ postgres: PostgresStore) -> ServiceGroup {
        let stage = ServeStage(prepare: { [controlMirror] in
            try await postgres.migrate()
            try await postgres.preparePartitions()
            try await controlMirror?.load()
        }, makeGroup: { try await self.makeGroup() }, failed: { [receiverBound, adminBound] error in
            receiverBound.resolve(.failure(error))
            adminBound.resolve(.failure(error))
        })
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        var services: [any Service] = [ShutdownLogged(postgres.client, name: "PostgreSQL client", logger: logger)]
        if let leases, leases !== postgres {
            services.append(ShutdownLogged(leases.client, name: "PostgreSQL lease client", logger: logger))
        }
        services.append(stage)
        return ServiceGroup(configuration: .init(services: services, logger: quiet))
    }

    /// The services, in start order (shutdown runs in reverse).
    private func makeGroup() async throws -> ServiceGroup {
        let handoff = EngineHandoff()
        let dispatch = DispatchWake()
        let alerts = makeAlertEvents()
        var reporter = RuntimeReporter(metrics: metrics, logger: logger)
        reporter.finished = alerts?.commandsFinished
        let store = self.store
        let engine: any Service
        var dispatcher: any Service = Dispatcher(settings: settings, store: store, access: access, clock: clock,
                                                 decisionGuard: decisionGuard, reporter: reporter, engine: handoff,
                                                 wake: dispatch)
        var owns: (@Sendable (String) -> Bool)?
        var driftHere: @Sendable () -> Bool = { true }
        if let postgres {
            // Several instances: the engines of the partitions held, the commands of those only.
            let partitions = partitionService(postgres, handoff: handoff, dispatch: dispatch, reporter: reporter)
            engine = partitions
            dispatcher = PartitionScoped(inner: dispatcher, scope: { partitions.scope })
            owns = { partitions.owns($0) }
            driftHere = { partitions.holds(0) }   // one instance lists the monitors
        } else {
            engine = try await EngineService(settings: settings, store: store, bundles: bundles, inventory: inventory,
                                             decisionGuard: decisionGuard, clock: clock, reporter: reporter,
                                             handoff: handoff, commandsQueued: dispatch)
        }
        let guardrails = decisionGuard
        let clock = self.clock
        let control = AdminControl(store: store, token: settings.adminToken.map(SecretMatcher.init(secret:)),
                                   clock: clock, changed: {
                                       _ = guardrails.watch(now: clock.now(), force: true)
                                       dispatch.wake()
                                   })
        var services: [any Service] = []
        if let controlMirror { services.append(controlMirror) }   // stops last: writes what the others queued
        services += [
            AdminListener(settings: settings,
                          sampler: GaugeSampler(metrics: metrics, intake: intake, store: store, access: access),
                          control: control, access: access, bound: adminBound, logger: logger,
                          extraRoutes: state.withLock { $0.adminRoutes }),
            APIConnector(access: access, provider: apiProvider, listening: receiverBound, dispatcher: dispatch,
                         retryBase: settings.apiRetryBase, retryCap: settings.apiRetryCap),
            engine,
            dispatcher,
            Poller(intervals: pollIntervals, access: access, clock: clock, engine: handoff, metrics: metrics, logger: logger,
                   owns: owns),
            ControlWatcher(check: { guardrails.watch(now: $0, force: false) }, clock: clock, dispatcher: dispatch,
                           period: .milliseconds(250)),
            Receiver(settings: settings, store: store, counters: intake, engine: handoff, bound: receiverBound,
                     logger: logger),
        ]
        services = try withNotifier(services, store: store, alerts: alerts)
        services = withAlerts(services, store: store, events: alerts, access: access, driftHere: driftHere)
        services = services.map { ShutdownLogged($0, logger: logger) }
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)   // the group's own lines are debug detail
        return ServiceGroup(configuration: .init(services: services, logger: quiet))
    }

    /// Graceful shutdown (see the type's documentation); returns once every service has
    /// stopped. Safe to call more than once, and before `start()` returned.
    package func shutdown() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        guard let group, let task else { return }
        logger.info("vigie serve shutting down")
        await group.triggerGracefulShutdown()
        await task.value
        let stopped = state.withLock { s -> Bool in
            defer { s.group = nil }
            return s.group != nil
        }
        if stopped {
            // The PostgreSQL client has stopped with the group: only SQLite is read here.
            logger.info("vigie serve stopped", metadata: [
                "inboxUnprocessed": "\((try? database?.runtimeQueueDepths().inboxUnprocessed) ?? -1)",
            ])
        }
    }

    /// Stops at once, as a crash would look to other instances: the services are cancelled
    /// (nothing drains; on PostgreSQL the leases are not given back but expire). Does not
    /// wait for them. For tests.
    package func abort() {
        state.withLock { $0.task }?.cancel()
    }

    /// Waits until the services have stopped (after `shutdown()`, or a service failed);
    /// nil after a graceful shutdown, else what failed.
    package func stopped() async -> String? {
        (try? await ended.value()) ?? nil
    }

    /// Runs until SIGINT or SIGTERM, then shuts down gracefully.
    package func runUntilSignalled() async throws {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        try await start()
        for await signal in signals {
            logger.info("signal received", metadata: ["signal": "\(signal)"])
            break
        }
        await shutdown()
    }
}

/// Errors starting the runtime.
package enum ServeError: Error, CustomStringConvertible {
    case alreadyStarted
    case serverStopped
    case configuration(String)
    /// A listener could not be bound (`what` at `address`: the address in use…).
    case listen(what: String, address: String, any Error)

    package var description: String {
        switch self {
        case .alreadyStarted: return "the runtime is already started"
        case .serverStopped: return "the HTTP server stopped before it was listening"
        case .configuration(let text): return text
        case .listen(let what, let address, let error): return "cannot listen on \(address) (\(what)): \(error)"
        }
    }
}
