import Foundation
import AsyncHTTPClient
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import Simulator
import StellantisAPI
import VigieRuntime

/// `vigie demo`: the simulator and the live runtime in one process on loopback ports,
/// the bundles of `Rules/` applied to simulated vehicles, a simulated day in accelerated
/// time, a live timeline and a closing summary (docs/demo.md). Exit 0 when the day ran,
/// 1 when it could not (rules invalid, a port, the database), 64 for usage.
public enum Demo {
    /// - Parameters:
    ///   - print: receives the timeline and the summary, line by line (stdout).
    ///   - printError: receives error messages (stderr).
    public static func run(_ options: DemoOptions, in directory: URL,
                           print: @escaping @Sendable (String) -> Void,
                           printError: @escaping @Sendable (String) -> Void) async -> Int32 {
        let problems = options.problems()
        if !problems.isEmpty {
            for p in problems { printError("error: \(p)") }
            return 64
        }
        do {
            return try await DemoRun(options: options, directory: directory, print: print, printError: printError).run()
        } catch {
            printError("error: \(error)")
            return 1
        }
    }
}

/// One run of the demo, step by step.
struct DemoRun {
    let options: DemoOptions
    let directory: URL
    let print: @Sendable (String) -> Void
    let printError: @Sendable (String) -> Void

    func run() async throws -> Int32 {
        let bundles: [CheckedBundle]
        switch ReplayInputs.loadBundles(options.rules, in: directory) {
        case .failure(let failure):
            printError(failure.message.trimmingCharacters(in: .newlines))
            return failure.exitCode
        case .success(let (loaded, _)): bundles = loaded
        }
        let workdir = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workdir) }
        let database = try DemoRun.freshDatabase(ReplayInputs.resolve(options.databasePath, in: directory).path)

        let clock = DemoClock(start: options.start, speed: options.speed)
        var simConfig = SimConfiguration()
        // One more vehicle than asked: the simulator's last one belongs to a second user.
        simConfig.vehicles = options.vehicles + 1
        simConfig.seed = options.seed
        simConfig.speed = options.speed
        simConfig.burstLimit = 1000
        let sim = DemoSimulator(configuration: simConfig, clock: clock)
        let simPort = try await sim.start()
        let (vehicles, scenario) = await DemoScenario.prepare(sim.core, count: options.vehicles)
        let (deployed, notes) = DemoScenario.narrow(bundles, to: Set(vehicles.map(\.vin)))

        let config = try await DemoRun.configuration(options: options, sim: sim, simPort: simPort, vehicles: vehicles,
                                                     workdir: workdir, databasePath: database.path ?? "")
        let deferredAPI = DemoDeferredAPI()
        var logger = Logger(label: "vigie.demo")
        logger.logLevel = .error
        let runtime = ServeRuntime(settings: DemoRun.settings(config), database: database, bundles: deployed,
                                   inventory: config.inventory, clock: clock, logger: logger,
                                   api: { deferredAPI })
        try await runtime.start()
        var live = config
        live.callback.publicURL = URL(string: "http://127.0.0.1:\(runtime.boundPort ?? 0)")!
        let client = try live.makeAPIClient(httpClient: HTTPClient.shared, logger: logger)
        let deployment = try await DemoDeploy.apply(config: live, client: client, bundles: deployed)
        let resolver = VehicleResolver(client: client, known: live.vehicleIDs)
        let vehicleAPI: StellantisVehicleAPI
        switch client {
        case .b2c(let c): vehicleAPI = StellantisVehicleAPI(client: .b2c(c), callbackID: deployment.callbackID,
                                                            vehicleID: { try await resolver.vehicleID(vin: $0) })
        case .fleet(let c): vehicleAPI = StellantisVehicleAPI(client: .fleet(c), callbackID: deployment.callbackID,
                                                              vehicleID: { try await resolver.vehicleID(vin: $0) })
        }
        deferredAPI.resolve(vehicleAPI)

        printIntro(bundles: deployed, scenario: scenario + notes.map { "  note: " + $0 }, deployment: deployment)
        let elapsed = try await drive(clock: clock, database: database)
        await runtime.shutdown()
        await sim.stop()
        let decisions = try database.loggedDecisions()
        print("")
        print(DemoSummary(decisions).text.trimmingCharacters(in: .newlines))
        print("")
        let delivered = sim.ledger.deliveries.filter { ($0.status ?? 0) / 100 == 2 }.reduce(0) { $0 + $1.messages.count }
        print("\(delivered) notifications received, \(decisions.count) decisions; a simulated day in "
              + String(format: "%.1f", elapsed) + " s. Log: \(options.databasePath) (vigie log --db \(options.databasePath))")
        return 0
    }

    /// Runs the simulated day, printing the timeline as decisions and outcomes land.
    /// Returns the real seconds it took.
    private func drive(clock: DemoClock, database: OutcomeDatabase) async throws -> Double {
        var timeline = DemoTimeline(timeZone: TimeZone(identifier: "Europe/Paris")!)
        if options.timeline { print(timeline.header) }
        let began = Date()
        clock.run()
        let end = options.start.addingTimeInterval(options.duration)
        while clock.now() < end {
            try await Task.sleep(nanoseconds: 100_000_000)
            let lines = timeline.lines(for: try database.loggedDecisions())
            if options.timeline { for line in lines { print(line) } }
        }
        return Date().timeIntervalSince(began)
    }

    private func printIntro(bundles: [CheckedBundle], scenario: [String], deployment: DemoDeploy.Result) {
        print("vigie demo: \(options.vehicles) simulated vehicles, seed \(options.seed), "
              + "a simulated day at ×\(Int(options.speed))")
        print("bundles: " + bundles.map(\.name).joined(separator: ", ") + "; " + deployment.summary)
        for line in scenario { print(line) }
        print("")
    }
}
