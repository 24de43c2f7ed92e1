import Foundation

/// Everything `vigie sim` can be told.
public struct SimConfiguration: Sendable {
    public var vehicles: Int = 10
    public var seed: UInt64 = 1
    /// Simulated seconds per real second.
    public var speed: Double = 1
    /// Where simulated time starts (default: now).
    public var start: Date?
    /// Serve status payloads in the real-world shape instead of the schema's.
    public var quirks = false
    /// Fraction of API requests answered 500 (before doing anything).
    public var failRate: Double = 0
    /// Fraction of state-changing requests executed but answered 500 (a lost answer).
    public var loseRate: Double = 0
    /// Added to every API answer, milliseconds of real time.
    public var latencyMs: Int = 0
    /// Fraction of notifications the platform silently loses.
    public var dropRate: Double = 0
    /// Fraction of remotes that end `Failed` / `VehicleConnectionTimeout`.
    public var remoteFailRate: Double = 0
    /// Requests per client id per sliding 24 h, and per second.
    public var dayLimit = 100_000
    public var burstLimit = 50
    /// Access token lifetime, seconds of real time.
    public var tokenLifetime: TimeInterval = 3600
    /// Wake-ups of a sleeping car allowed per calendar month.
    public var wakeUpsPerMonth = 20
    public var clientId = "vigie-sim-client"
    public var clientSecret = "vigie-sim-secret"
    public var fleetId = "fleet-1"
    /// Physics step, seconds of simulated time.
    public var quantum: TimeInterval = 10

    public init() {}
}
