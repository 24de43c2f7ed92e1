import ArgumentParser
import Foundation
import VigieBench
import VigieKit

/// `vigie bench intake`: maps flags to `IntakeBenchmark.Options`, runs it, prints the figures.
struct BenchIntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake",
        abstract: "Notifications per second received, committed and answered by the webhook receiver (loopback).",
        discussion: """
            Run it from a release build: swift build -c release && .build/release/vigie bench intake
            The load comes from a second vigie process (bench intake --client-only) unless --in-process.
            Closed loop by default (--concurrency requests in flight: the most it takes, latency at
            saturation); --rate N sends N notifications/s on a fixed schedule (open loop) and measures
            each answer from its scheduled send.
            """
    )

    @Option(help: "Requests to send (after the warm-up).")
    var requests = 50_000

    @Option(help: "Closed loop: requests in flight at once.")
    var concurrency = 64

    @Option(help: "Open loop: notifications per second, sent on a fixed schedule whatever the answers.")
    var rate: Double?

    @Option(help: "Open loop: the most connections the client opens.")
    var connections = 64

    @Option(help: "Notifications per request (1: a single Message; more: an array).")
    var batch = 1

    @Option(help: "Stop sending after this many seconds.")
    var maxSeconds: Double = 60

    @Option(help: "Requests sent first and not measured.")
    var warmup = 2_000

    @Flag(help: "Run the load-generating client in this process instead of a second one.")
    var inProcess = false

    @Option(help: ArgumentHelp("Commit to a fresh database made on this PostgreSQL server instead of a SQLite file (dropped at the end).",
                               valueName: "postgres://USER@HOST:PORT/DB"))
    var postgres: String?

    @Flag(help: "Checkpoint the WAL inside commits (SQLite's auto-checkpoint) instead of from a second connection.")
    var inlineCheckpoints = false

    @Flag(help: .hidden)
    var backgroundCheckpoints = false

    @Flag(help: "Internal: be the load-generating client only, against --url.")
    var clientOnly = false

    @Option(help: "Internal: the webhook URL a --client-only run sends to.")
    var url: String?

    func validate() throws {
        guard requests > 0, concurrency > 0, connections > 0, batch > 0, maxSeconds > 0, warmup >= 0 else {
            throw ValidationError("--requests, --concurrency, --connections, --batch and --max-seconds must be positive")
        }
        if let rate, !(rate > 0 && rate.isFinite) {
            throw ValidationError("--rate must be a positive number of notifications per second")
        }
        guard !(inlineCheckpoints && backgroundCheckpoints) else {
            throw ValidationError("--inline-checkpoints and --background-checkpoints exclude each other")
        }
        guard postgres == nil || !(inlineCheckpoints || backgroundCheckpoints) else {
            throw ValidationError("--inline-checkpoints is about SQLite's WAL: not with --postgres")
        }
        guard clientOnly == (url != nil) else {
            throw ValidationError("--client-only and --url go together")
        }
    }

    func run() async throws {
        var options = IntakeBenchmark.Options(requests: requests, concurrency: concurrency, batch: batch,
                                              maxSeconds: maxSeconds, warmup: warmup)
        options.rate = rate
        options.connections = connections
        do {
            if clientOnly, let url {
                try await IntakeBenchmark.runClient(url: url, options: options)
                return
            }
            options.backgroundCheckpoints = !inlineCheckpoints
            options.postgresURL = postgres
            if !inProcess { options.clientExecutable = Bundle.main.executablePath ?? CommandLine.arguments[0] }
            let result = try await IntakeBenchmark.run(options)
            print(IntakeBenchmark.report(result, options: options), terminator: "")
            if result.failures > 0 || result.storedInDatabase != result.notifications { throw ExitCode(1) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
