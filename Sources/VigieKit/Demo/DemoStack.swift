import AsyncHTTPClient
import Console
import Foundation
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import Simulator
import StellantisAPI
import VehicleData
import VigieRuntime

/// The simulator and the live runtime wired together in one process, on loopback
/// ports: what `vigie demo` runs, and what the end-to-end and secrets-audit tests start.
///
/// `start` brings up the simulator, lets `prepare` set the cars' starting state (and say
/// what it did), drops from the bundles' `vehicles:` the VINs the simulation lacks, starts
/// `ServeRuntime` (receiver, engine loop, dispatcher, poller) with a configuration
/// written for the simulator, applies the bundles with `Planner` and `Applier` exactly as
/// `vigie apply` does, and hands the runtime its API access. Time is `clock`'s, on both
/// sides.
package final class DemoStack: Sendable {
    /// What a stack is started with.
    package struct Options: Sendable {
        /// Cars the rules apply to (the simulator gets one more, owned by another user).
        package var vehicles = 5
        package var seed: UInt64 = 1
        /// The SQLite log (replaced if it exists).
        package var databasePath: String
        /// Tags every car carries in the inventory.
        package var tags = ["demo", "fleet-lyon"]
        /// The runtime's `stale_after` and `remote_timeout`, seconds of `clock`.
        package var staleAfter: TimeInterval = 300
        package var remoteTimeout: TimeInterval = 600
        /// Real time between two ticks of the simulator's driver.
        package var simulatorTick: Duration = .milliseconds(10)
        /// Batch notifications (the callback's `batch`).
        package var batch = true
        /// The web console's token (docs/console.md): set, the console is served on the
        /// runtime's admin listener (`runtime.adminPort`).
        package var consoleToken: String?
        /// Notify actions and Vigie's alerts go to a local signed webhook (`DemoSink`);
        /// `vigie demo` sets it (off: notify actions are recorded, not delivered).
        package var notificationSink = false
        /// The runtime's and the API client's logger.
        package var logger = Logger(label: "vigie.demo", factory: { _ in SwiftLogNoOpLogHandler() })

        package init(databasePath: String) { self.databasePath = databasePath }
    }

    /// A simulated car the rules apply to.
    package struct Vehicle: Sendable, Hashable {
        package var vin: String
        package var id: String
        package var label: String
        package var brand: String
    }

    package let simulator: DemoSimulator
    /// The local channel the notifier delivers to (`Options.notificationSink`).
    let sink: DemoSink?
    package let runtime: ServeRuntime
    package let database: OutcomeDatabase
    /// The configuration the runtime and apply ran with (its secrets included).
    package let config: VigieConfig
    package let vehicles: [Vehicle]
    /// The bundles as deployed.
    package let bundles: [CheckedBundle]
    package let callbackID: String
    /// The web console's token when it is served (`Options.consoleToken`).
    package let consoleToken: String?
    /// `26 monitors and callbacks created (callback cb-…)`.
    package let deploySummary: String
    /// What `prepare` said about the cars, then notes on the bundles (VIN selectors
    /// naming cars outside the simulation are dropped).
    package let notes: [String]
    private let workdir: URL

    private init(simulator: DemoSimulator, sink: DemoSink?, runtime: ServeRuntime, database: OutcomeDatabase,
                 config: VigieConfig, vehicles: [Vehicle], bundles: [CheckedBundle], deployment: DemoDeploy.Result,
                 notes: [String], workdir: URL, consoleToken: String?) {
        self.notes = notes
        self.simulator = simulator
        self.sink = sink
        self.runtime = runtime
        self.database = database
        self.config = config
        self.vehicles = vehicles
        self.bundles = bundles
        self.callbackID = deployment.callbackID
        self.consoleToken = consoleToken
        self.deploySummary = deployment.summary
        self.workdir = workdir
    }

    /// Starts everything; on failure, stops what was started and throws.
    package static func start(bundles: [CheckedBundle], options: Options, clock: any VigieClock,
                             prepare: @Sendable (SimCore, [Vehicle]) async -> [String] = { _, _ in [] }) async throws -> DemoStack {
        let workdir = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        let database = try freshDatabase(options.databasePath)
        var simConfig = SimConfiguration()
        simConfig.vehicles = options.vehicles + 1
        simConfig.seed = options.seed
        simConfig.burstLimit = 1000
        let simulator = DemoSimulator(configuration: simConfig, clock: clock)
        var runtime: ServeRuntime?
        let sink = options.notificationSink ? DemoSink() : nil
        do {
            let simPort = try await simulator.start(tick: options.simulatorTick)
            let vehicles = await simulator.core.world.vehicles.prefix(options.vehicles).map { v in
                Vehicle(vin: v.vin, id: v.profile.id,
                        label: v.profile.model.hasPrefix(v.profile.brand) ? v.profile.model : "\(v.profile.brand) \(v.profile.model)",
                        brand: v.profile.brand)
            }
            var notes = await prepare(simulator.core, vehicles)
            let narrowed = DemoScenario.narrow(bundles, to: Set(vehicles.map(\.vin)))
            notes += narrowed.notes.map { "note: " + $0 }
            let bundles = narrowed.bundles
            var config = try await configuration(options: options, core: simulator.core, simPort: simPort,
                                                 vehicles: vehicles, workdir: workdir, databasePath: database.path ?? "")
            let deferredAPI = DemoDeferredAPI()
            // The same runtime `vigie serve` builds from a configuration: guardrails and polling on.
            let safety = SafetyGuard(policy: SafetyPolicy(config: config), database: database, logger: options.logger)
            let polls = ServeRuntime.pollIntervals(bundles: bundles, inventory: config.inventory)
            var runtimeSettings = settings(config)
            if let sink {
                runtimeSettings.notifications = NotifierSettings(channels: [try await sink.start()],
                                                                 defaults: [DemoSink.channel], alerts: [DemoSink.channel])
            }
            let started = ServeRuntime(settings: runtimeSettings, database: database, bundles: bundles,
                                       inventory: config.inventory, pollIntervals: polls, decisionGuard: safety,
                                       clock: clock, logger: options.logger, api: { deferredAPI })
            runtime = started
            if let token = options.consoleToken {
                try Console.mount(on: started, token: token, explain: Explain.consoleExplainer(
                    bundles: bundles, inventory: config.inventory, reorderWindow: started.settings.reorderWindow))
            }
            try await started.start()
            config.callback.publicURL = URL(string: "http://127.0.0.1:\(started.boundPort ?? 0)")!
            let client = try config.makeAPIClient(httpClient: HTTPClient.shared, logger: options.logger)
            let deployment = try await DemoDeploy.apply(config: config, client: client, bundles: bundles)
            deferredAPI.resolve(vehicleAPI(client, callbackID: deployment.callbackID, known: config.vehicleIDs))
            return DemoStack(simulator: simulator, sink: sink, runtime: started, database: database, config: config,
                             vehicles: vehicles, bundles: bundles, deployment: deployment, notes: notes, workdir: workdir,
                             consoleToken: options.consoleToken)
        } catch {
            await runtime?.shutdown()
            await sink?.stop()
            await simulator.stop()
            try? FileManager.default.removeItem(at: workdir)
            throw error
        }
    }

    /// Graceful: the runtime finishes its in-flight work, then the simulator stops.
    package func stop() async {
        await runtime.shutdown()
        await sink?.stop()
        await simulator.stop()
        try? FileManager.default.removeItem(at: workdir)
    }

    private static func vehicleAPI(_ client: VigieAPIClient, callbackID: String,
                                   known: [String: String]) -> StellantisVehicleAPI {
        let resolver = VehicleResolver(client: client, known: known)
        let vehicleID: @Sendable (String) async throws -> String = { try await resolver.vehicleID(vin: $0) }
        switch client {
        case .b2c(let c): return StellantisVehicleAPI(client: .b2c(c), callbackID: callbackID, vehicleID: vehicleID)
        case .fleet(let c): return StellantisVehicleAPI(client: .fleet(c), callbackID: callbackID, vehicleID: vehicleID)
        }
    }
}
