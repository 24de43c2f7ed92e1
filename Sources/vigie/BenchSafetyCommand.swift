import ArgumentParser
import VigieBench
import VigieKit

/// `vigie bench safety`: the guardrails' cost per decision and per dispatch check, and how
/// fast a pause from another connection reaches dispatch.
struct BenchSafetyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safety",
        abstract: "Measure the guardrails: review and dispatch-hold throughput, pause propagation latency."
    )

    @Option(help: "Number of vehicles.") var vehicles: Int = 1000
    @Option(help: "Rules per vehicle.") var rules: Int = 5
    @Option(help: "Decisions to review.") var decisions: Int = 500_000
    @Option(help: "Dispatch-hold checks.") var holdChecks: Int = 1_000_000
    @Option(help: "Pause round trips to time.") var pauses: Int = 20

    func validate() throws {
        guard vehicles > 0, rules > 0, decisions >= 0, holdChecks >= 0, pauses >= 0 else {
            throw ValidationError("--vehicles and --rules must be positive, the counts not negative")
        }
    }

    func run() throws {
        print(ControlBenchmark.report(try ControlBenchmark.run(vehicles: vehicles, rules: rules, decisions: decisions,
                                                               holdChecks: holdChecks, pauses: pauses)))
    }
}
