import Foundation

/// Everything `vigie sim` can be told.
package struct SimConfiguration: Sendable {
    package var vehicles: Int = 10
    package var seed: UInt64 = 1
    /// Simulated seconds per real second.
    package var speed: Double = 1
    /// Where simulated time starts (default: now).
    package var start: Date?
    /// Serve status payloads in the real-world shape instead of the schema's.
    package var quirks = false
    /// Fraction of API requests answered 500 (before doing anything).
    package var failRate: Double = 0
    /// Fraction of state-changing requests executed but answered 500 (a lost answer).
    package var loseRate: Double = 0
    /// Added to every API answer, milliseconds of real time.
    package var latencyMs: Int = 0
    /// Fraction of notifications the platform silently loses.
    package var dropRate: Double = 0
    /// Fraction of remotes that end `Failed` / `VehicleConnectionTimeout`.
    package var remoteFailRate: Double = 0
    /// Requests per client id per sliding 24 h, and per second.
    package var dayLimit = 100_000
    package var burstLimit = 50
    /// Access token lifetime, seconds of real time.
    package var tokenLifetime: TimeInterval = 3600
    /// Wake-ups of a sleeping car allowed per calendar month.
    package var wakeUpsPerMonth = 20
    package var clientId = "vigie-sim-client"
    package var clientSecret = "vigie-sim-secret"
    package var fleetId = "fleet-1"
    /// Physics step, seconds of simulated time.
    package var quantum: TimeInterval = 10

    package init() {}
}
