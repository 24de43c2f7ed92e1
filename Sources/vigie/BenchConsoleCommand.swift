import ArgumentParser
import VigieBench

/// `vigie bench console`: every console page at fleet size (BENCHMARKS.md "Console").
struct BenchConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Time every web console page over loopback HTTP at fleet size (use a release build)."
    )

    @Option(help: "Vehicles with engine state.") var vehicles: Int = 10_000
    @Option(help: "Rules watching every vehicle.") var rules: Int = 50
    @Option(help: "Decisions per vehicle.") var decisions: Int = 10
    @Option(help: "Timed requests per page.") var repeats: Int = 20
    @Option(help: "Stored notifications per vehicle over the last day (0: an empty inbox); times vigie explain too.")
    var inbox: Int = 0

    func validate() throws {
        guard vehicles > 0, rules > 0, decisions >= 0, repeats > 0, inbox >= 0 else {
            throw ValidationError("--vehicles, --rules and --repeats must be positive, --decisions and --inbox not negative")
        }
    }

    func run() async throws {
        print(ConsoleBenchmark.report(try await ConsoleBenchmark.run(vehicles: vehicles, rules: rules,
                                                                     decisions: decisions, repeats: repeats,
                                                                     inbox: inbox)))
    }
}
