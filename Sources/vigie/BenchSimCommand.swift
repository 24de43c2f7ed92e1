import ArgumentParser
import VigieBench
import VigieKit

/// `vigie bench sim`: simulator throughput (a fleet with two monitors per vehicle).
struct BenchSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Measure how fast the simulator runs a fleet with monitors, in simulated time."
    )

    @Option(help: "Number of vehicles.") var vehicles: Int = 1000
    @Option(help: "Simulated days.") var days: Double = 1
    @Option(help: "Driver tick, simulated seconds.") var tick: Double = 60

    func validate() throws {
        guard vehicles > 0, days > 0, tick > 0 else { throw ValidationError("--vehicles, --days and --tick must be positive") }
    }

    func run() async throws {
        print(SimBenchmark.report(try await SimBenchmark.run(vehicles: vehicles, days: days, tick: tick)))
    }
}
