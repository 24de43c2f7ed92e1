import ArgumentParser
import Foundation
import VigieBench

/// `vigie bench engine`: prints observations per second, decisions, peak memory and
/// bytes of state per vehicle (run it from a release build).
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Benchmark the rule engine: vehicles × rules × observations, one core."
    )

    @Option(help: "Vehicles.") var vehicles = 10_000
    @Option(help: "Rules (of the kinds in Rules/).") var rules = 50
    @Option(help: "Observations.") var observations = 1_000_000
    @Option(help: "Seed of the event stream.") var seed: UInt64 = 42
    @Option(help: "Observations per call of the engine's batch API (1: one at a time, no look-ahead).")
    var batch = 256
    @Flag(help: "Take each decision as a Decision value (as dry-run and serve do) instead of reading them in place.")
    var materialize = false
    @Flag(help: "Each observation carries all 8 fields of the stream (a full snapshot, as a replay `set` line) instead of 1 or 2.")
    var fullSnapshot = false

    func run() throws {
        guard vehicles > 0, rules > 0, observations > 0, batch > 0 else {
            FileHandle.standardError.write(Data("error: --vehicles, --rules, --observations and --batch must be positive\n".utf8))
            throw ExitCode(64)
        }
        let r = EngineBenchmark.run(vehicles: vehicles, rules: rules, observations: observations, seed: seed,
                                    batchSize: batch, materialize: materialize, fullSnapshot: fullSnapshot)
        print("engine: \(r.vehicles) vehicles, \(r.rules) rules, \(r.observations) observations"
              + (fullSnapshot ? " of 8 fields each" : "") + ", batches of \(batch)"
              + (materialize ? ", decisions taken as Decision values" : ", decisions read in place"))
        print(String(format: "time: %.3f s", r.seconds))
        print(String(format: "observations per second: %.0f", r.observationsPerSecond))
        print(String(format: "CPU time of the loop: %.3f s (%.0f observations per CPU second)", r.cpuSeconds,
                     r.observationsPerCPUSecond))
        print(String(format: "rule evaluations: %d (%.1f per observation, of %d rules)", r.evaluations,
                     Double(r.evaluations) / Double(r.observations), r.rules))
        print("decisions: \(r.decisions) (\(r.fired) fired, \(r.decisions - r.fired) suppressed)")
        print(String(format: "peak memory (ru_maxrss): %.1f MiB", Double(r.peakRSSBytes) / 1_048_576))
        print("state per vehicle: \(r.stateBytesPerVehicle) bytes (flat arrays); RSS growth per vehicle: \(r.rssGrowthBytesPerVehicle) bytes")
    }
}
