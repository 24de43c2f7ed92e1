import ArgumentParser
import VigieBench
import VigieKit

/// `vigie bench decode`: status-payload and monitor-value decoding throughput.
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Measure how fast status payloads and monitor values become observations."
    )

    @Option(help: "How many payloads to decode per round.")
    var payloads: Int = 200_000

    @Option(help: "Timed rounds; the best one is reported.")
    var rounds: Int = 3

    func validate() throws {
        guard payloads > 0, rounds > 0 else { throw ValidationError("--payloads and --rounds must be positive") }
    }

    func run() throws {
        print(DecodeBenchmark.report(try DecodeBenchmark.run(payloads: payloads, rounds: rounds)))
    }
}
