import ArgumentParser
import Foundation
import VigieKit

/// `vigie sim`: a local Stellantis-compatible API (docs/simulator.md). Maps flags to
/// `SimOptions` and runs `SimServer`.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a local Stellantis-compatible API with simulated vehicles.",
        discussion: """
            Serves the B2C API under /connectedcar/v4, the B2B fleet API under /connectedcar/v3 \
            and OAuth2 under /oauth2, and prints a client id and a ready access token. Vehicles \
            drive, charge and sleep in simulated time (--speed); monitors are evaluated server-side \
            and their notifications POSTed to the callbacks' webhooks. Exit status: 0 on interrupt, \
            64 usage error.
            """
    )

    @Option(help: "TCP port (0: any free port).") var port: Int = 8080
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "Vehicles of the printed user (one more, a second user's, is added for 403 tests).")
    var vehicles: Int = 10
    @Option(help: "Random seed: the same seed gives the same vehicles and lives.") var seed: UInt64 = 1
    @Option(help: "Simulated seconds per real second.") var speed: Double = 1
    @Option(help: "Simulated start instant, RFC 3339 (default: now).") var start: String?
    @Flag(help: "Serve status payloads in the real-world shape, not the schema's.") var quirks = false
    @Option(help: "Fraction of API requests answered 500.") var failRate: Double = 0
    @Option(help: "Fraction of POST/PUT/DELETE requests carried out but answered 500 (a lost answer).")
    var loseRate: Double = 0
    @Option(help: "Milliseconds added to every API answer.") var latency: Int = 0
    @Option(help: "Fraction of notifications silently lost.") var dropRate: Double = 0
    @Option(help: "Fraction of remotes ending Failed/VehicleConnectionTimeout.") var remoteFailRate: Double = 0
    @Option(help: "Requests per client id per sliding 24 h.") var rateDay: Int = 100_000
    @Option(help: "Requests per client id per second.") var rateBurst: Int = 50
    @Option(help: "Access token lifetime, seconds.") var tokenLifetime: Int = 3600
    @Option(help: "Wake-ups of a sleeping vehicle allowed per month.") var wakeupsPerMonth: Int = 20
    @Flag(help: "Record every notification POST and its answer (GET /sim/v1/ledger/notifications).")
    var ledger = false

    func run() async throws {
        var o = SimOptions()
        o.host = host
        o.port = port
        o.ledger = ledger
        o.userVehicles = vehicles
        var c = o.configuration
        c.seed = seed; c.speed = speed; c.quirks = quirks
        c.failRate = failRate; c.loseRate = loseRate; c.latencyMs = latency; c.dropRate = dropRate
        c.remoteFailRate = remoteFailRate; c.dayLimit = rateDay; c.burstLimit = rateBurst
        c.tokenLifetime = TimeInterval(tokenLifetime); c.wakeUpsPerMonth = wakeupsPerMonth
        var problems: [String] = []
        if let start {
            if let date = ISO8601DateFormatter().date(from: start) { c.start = date } else {
                problems.append("--start must be an RFC 3339 instant such as 2026-11-23T06:00:00Z")
            }
        }
        o.configuration = c
        problems += o.problems()
        if !problems.isEmpty {
            for p in problems { FileHandle.standardError.write(Data("error: \(p)\n".utf8)) }
            throw ExitCode(64)
        }
        try await SimServer.run(o) { banner in
            print(banner)
            fflush(nil)
        }
    }
}
