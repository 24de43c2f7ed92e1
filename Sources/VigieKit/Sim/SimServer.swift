import Foundation
import Hummingbird
import Simulator
import VehicleData

/// `vigie sim`: options, validation and the run loop of the local Stellantis-compatible API
/// (docs/simulator.md).
package struct SimOptions: Sendable {
    package var host = "127.0.0.1"
    package var port = 8080
    package var configuration = SimConfiguration()
    /// Record every notification POST and its answer, served at `/sim/v1/ledger/notifications`.
    package var ledger = false
    /// `--vehicles N`: the vehicles of the printed user. The world holds one more (when N ≥ 1),
    /// owned by a second user, so that a 403 can be seen; the fleet holds them all.
    package var userVehicles = 10 {
        didSet { configuration.vehicles = Self.worldSize(userVehicles: userVehicles) }
    }

    package init() { configuration.vehicles = Self.worldSize(userVehicles: userVehicles) }

    /// The world's vehicles for `userVehicles` of the first user: one more, the second user's.
    package static func worldSize(userVehicles n: Int) -> Int { n > 0 ? n + 1 : 0 }

    /// Usage errors (the command exits 64 on any).
    package func problems() -> [String] {
        var out: [String] = []
        let c = configuration
        if !(0...65535).contains(port) { out.append("--port must be 0…65535") }
        if !(0...100_000).contains(userVehicles) { out.append("--vehicles must be 0…100000") }
        if !(c.speed > 0 && c.speed <= 100_000) { out.append("--speed must be above 0 and at most 100000") }
        for (name, rate) in [("--fail-rate", c.failRate), ("--lose-rate", c.loseRate), ("--drop-rate", c.dropRate),
                             ("--remote-fail-rate", c.remoteFailRate)] where !(0...1).contains(rate) {
            out.append("\(name) must be between 0 and 1")
        }
        if c.latencyMs < 0 { out.append("--latency must not be negative") }
        if c.dayLimit < 1 || c.burstLimit < 1 { out.append("--rate-day and --rate-burst must be at least 1") }
        if c.tokenLifetime < 1 { out.append("--token-lifetime must be at least 1 second") }
        return out
    }
}

package enum SimServer {
    /// Runs the simulator until interrupted; `print` receives the start banner.
    package static func run(_ options: SimOptions, print: @escaping @Sendable (String) -> Void) async throws {
        let start = options.configuration.start ?? Date()
        let core = SimCore(config: options.configuration, start: start)
        let clock = ScaledClock(start: start, speed: options.configuration.speed)
        let ledger = options.ledger ? Ledger() : nil
        let http = HTTPNotificationTransport()
        let transport: any NotificationTransport = ledger.map { LedgerTransport(wrapping: http, ledger: $0) } ?? http
        let driver = SimDriver(core: core, clock: clock, transport: transport)
        let app = buildSimApplication(core: core, driver: driver, host: options.host, port: options.port,
                                      ledger: ledger) { port in
            let tokens = await core.bootstrapTokens()
            let vehicles = await core.world.vehicles
            let foreign = vehicles.last.flatMap { $0.owner == SimWorld.secondUser ? $0.profile.id : nil }
            print(banner(options, port: port, tokens: tokens, firstVehicle: vehicles.first?.profile.id, foreignVehicle: foreign))
        }
        try await app.runService()
    }

    static func banner(_ o: SimOptions, port: Int, tokens: (access: String, refresh: String, expiresIn: Int),
                       firstVehicle: String?, foreignVehicle: String? = nil) -> String {
        let c = o.configuration
        let base = "http://\(o.host):\(port)"
        let extra = foreignVehicle == nil ? "" : " + 1 of \(SimWorld.secondUser) (foreign vehicle, for 403 tests)"
        var lines = [
            "vigie sim: \(o.userVehicles) vehicles for \(SimWorld.firstUser) (the printed token)\(extra), "
                + "seed \(c.seed), speed ×\(c.speed)\(c.quirks ? ", quirks" : "")",
            "B2C base URL:  \(base)/connectedcar/v4",
            "B2B base URL:  \(base)/connectedcar/v3  (fleet \(c.fleetId): all \(c.vehicles) vehicles, "
                + "Basic \(c.clientId):\(c.clientSecret))",
            "OAuth2:        \(base)/oauth2/access_token",
            "client_id:     \(c.clientId)",
            "client_secret: \(c.clientSecret)",
            "access_token:  \(tokens.access)   (expires in \(tokens.expiresIn) s)",
            "refresh_token: \(tokens.refresh)",
            "try:           curl -H 'Authorization: Bearer \(tokens.access)' '\(base)/connectedcar/v4/user/vehicles?client_id=\(c.clientId)'",
        ]
        if let firstVehicle { lines.append("first vehicle: \(firstVehicle)") }
        if let foreignVehicle { lines.append("foreign vehicle: \(foreignVehicle)  (\(SimWorld.secondUser)'s: the printed token gets 403)") }
        return lines.joined(separator: "\n")
    }
}
