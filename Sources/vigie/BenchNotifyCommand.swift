import ArgumentParser
import Foundation
import VigieBench

/// `vigie bench notify`: maps flags to `NotifyBenchmark.Options`, runs it, prints the figures.
struct BenchNotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Durable notification delivery at a sustained rate, and what it costs the engine's commits.",
        discussion: """
            Run it from a release build: swift build -c release && .build/release/vigie bench notify
            Decision steps with notify actions are committed to a SQLite file at --rate notifications/s, first
            alone, then with the notifier service delivering them to a local signed-webhook sink; prints the
            delivery throughput and latencies and the commit latency in both runs.
            """
    )

    @Option(help: "Notifications per second, committed on a fixed schedule.")
    var rate: Double = 1_000

    @Option(help: "Seconds of load in each run.")
    var seconds: Double = 10

    @Option(help: "Deliveries of the channel in flight at once.")
    var concurrency = 16

    func validate() throws {
        guard rate > 0, rate.isFinite, seconds > 0, seconds.isFinite, concurrency > 0 else {
            throw ValidationError("--rate, --seconds and --concurrency must be positive")
        }
    }

    func run() async throws {
        var options = NotifyBenchmark.Options()
        options.rate = rate
        options.seconds = seconds
        options.concurrency = concurrency
        print(NotifyBenchmark.report(try await NotifyBenchmark.run(options), options: options), terminator: "")
    }
}
