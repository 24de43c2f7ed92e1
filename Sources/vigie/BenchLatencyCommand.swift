import ArgumentParser
import Foundation
import VigieBench

/// `vigie bench latency`: maps flags to `LatencyBenchmark.Options`, runs it, prints the figures.
struct BenchLatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Webhook POST → decision committed → remote POSTed, through an in-process vigie serve.",
        discussion: """
            Run it from a release build: swift build -c release && .build/release/vigie bench latency
            Webhook POSTs on a fixed schedule (--rate notifications/s), reorder_window 0, a SQLite file, a
            local fake API that answers at once; prints p50, p99 and max of each latency. Every notification
            fires a command unless --firing-share says otherwise.
            """
    )

    @Option(help: "Notifications per second, sent on a fixed schedule.")
    var rate: Double = 1_000

    @Option(help: "Notifications measured (after the warm-up).")
    var notifications = 10_000

    @Option(help: "Notifications sent first and not measured.")
    var warmup = 500

    @Option(help: "Share of notifications that fire a command (1: every one, the worst case).")
    var firingShare = 1.0

    func validate() throws {
        guard rate > 0, rate.isFinite, notifications > 0, warmup >= 0 else {
            throw ValidationError("--rate and --notifications must be positive, --warmup not negative")
        }
        guard firingShare > 0, firingShare <= 1 else {
            throw ValidationError("--firing-share must be in (0, 1]")
        }
    }

    func run() async throws {
        var options = LatencyBenchmark.Options()
        options.rate = rate
        options.notifications = notifications
        options.warmup = warmup
        options.firingShare = firingShare
        print(LatencyBenchmark.report(try await LatencyBenchmark.run(options), options: options), terminator: "")
    }
}
