import Foundation
import VehicleData

/// The simulated API's state: the world, callbacks, monitors, remotes, tokens, rate
/// limits and the notification outbox. One actor serialises every request and tick.
package actor SimCore {
    package nonisolated let config: SimConfiguration
    package internal(set) var world: SimWorld
    var callbacks: [String: CallbackRecord] = [:]
    var monitors: [String: MonitorRecord] = [:]
    var remotes: [String: RemoteRecord] = [:]
    var schedule: [ScheduledStep] = []
    var scheduleSeq = 0
    var outbox = SimOutbox()
    var tokens: SimTokenStore
    var limiter: SimRateLimiter
    var ids: SimRandom
    var faults: SimRandom
    /// Base URLs used in HAL links (set by the server once it knows its port).
    package var baseURL = "http://127.0.0.1:8080"
    let wallClock: @Sendable () -> Date

    package init(config: SimConfiguration, start: Date, wallClock: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        world = SimWorld(vehicles: config.vehicles, seed: config.seed, start: start, quantum: config.quantum)
        tokens = SimTokenStore(seed: config.seed, lifetime: config.tokenLifetime)
        limiter = SimRateLimiter(dayLimit: config.dayLimit, burstLimit: config.burstLimit)
        ids = SimRandom(seed: config.seed, stream: 0x1D5)
        faults = SimRandom(seed: config.seed, stream: 0xFA17)
        self.wallClock = wallClock
    }

    package func setBaseURL(_ url: String) { baseURL = url }
    package var now: Date { world.now }
    package var outboxStats: SimOutbox.Stats { outbox.stats }
    package var pendingNotifications: Int { outbox.pendingCount }

    func newId(_ prefix: String) -> String { prefix + ids.hex(bytes: 12) }

    var renderer: StatusRenderer { StatusRenderer(baseURL: b2cBase, quirks: config.quirks) }
    var b2cBase: String { baseURL + "/connectedcar/v4" }
    var b2bBase: String { baseURL + "/connectedcar/v3" }

    // MARK: - Time

    /// Runs the world, remote steps and monitors up to `date`.
    package func advance(to date: Date) {
        while let next = schedule.first, next.at <= date {
            schedule.removeFirst()
            stepWorld(to: max(world.now, next.at))
            runStep(next)
        }
        stepWorld(to: date)
        evaluateMonitors()
    }

    /// Physics one grid step at a time; after each, the monitors of the vehicles whose
    /// reported data changed are evaluated, so no change (an `onChange`) is missed
    /// however coarse the caller's ticks.
    private func stepWorld(to date: Date) {
        while world.now < date {
            let changed = world.advance(to: min(date, world.nextGridTime))
            if !changed.isEmpty { evaluateMonitors(only: changed) }
        }
    }

    /// Notification POSTs due now (the driver sends them and reports with `complete`).
    package func takeDeliveries() -> [SimOutbox.Delivery] { outbox.due(at: world.now) }

    package func complete(_ delivery: SimOutbox.Delivery, status: Int?) { outbox.complete(delivery, status: status, at: world.now) }

    func scheduleStep(_ remote: String, _ step: ScheduledStep.Step, at: Date) {
        scheduleSeq += 1
        schedule.append(ScheduledStep(at: at, seq: scheduleSeq, remote: remote, step: step))
        schedule.sort { ($0.at, $0.seq) < ($1.at, $1.seq) }
    }

    // MARK: - Access

    /// Checks a call's authority over a vehicle (B2C: owned by the user; B2B: in the fleet).
    func vehicleIndex(_ id: String, for principal: SimPrincipal) throws -> Int {
        guard let i = world.vehicleIndex(id) else { throw SimAPIError.notFound("Vehicle \(id)") }
        if case .user(let user, _) = principal, world.vehicles[i].owner != user { throw SimAPIError.forbiddenVehicle() }
        return i
    }

    func checkFleet(_ fid: String, _ principal: SimPrincipal) throws {
        guard case .fleet(let f, _) = principal, f == fid else { throw SimAPIError.forbiddenFleet() }
    }

    func callback(_ id: String, _ principal: SimPrincipal) throws -> CallbackRecord {
        guard let cb = callbacks[id], cb.owner == principal else { throw SimAPIError.notFound("Callback \(id)") }
        return cb
    }

    // MARK: - Faults and limits (used by the HTTP layer)

    package func rateLimit(client: String) -> SimRateLimiter.Decision { limiter.admit(client, at: wallClock()) }

    package func rollFault(_ rate: Double) -> Bool { faults.chance(rate) }

    package func authenticate(bearer: String, clientId: String) -> Result<String, SimAPIError> {
        tokens.check(bearer, clientId: clientId, now: wallClock())
    }

    package func expireTokens() { tokens.expireAll() }

    /// Tokens for the first user, printed on start so that `curl` works at once.
    package func bootstrapTokens(user: String = SimWorld.firstUser) -> (access: String, refresh: String, expiresIn: Int) {
        tokens.issueTokens(user: user, clientId: config.clientId, now: wallClock())
    }

    package func authorizationCode(user: String = SimWorld.firstUser, clientId: String) -> String {
        tokens.issueCode(user: user, clientId: clientId)
    }

    package func tokenGrant(_ form: [String: String]) -> Result<(access: String, refresh: String, expiresIn: Int), SimAPIError> {
        guard let clientId = form["client_id"], clientId == config.clientId else {
            return .failure(.unauthorized("invalid_client"))
        }
        if let secret = form["client_secret"], secret != config.clientSecret { return .failure(.unauthorized("invalid_client")) }
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], let t = tokens.redeem(code: code, clientId: clientId, now: wallClock()) else {
                return .failure(.invalid("invalid_grant: unknown or used authorization code"))
            }
            return .success(t)
        case "refresh_token":
            guard let rt = form["refresh_token"], let t = tokens.refresh(token: rt, clientId: clientId, now: wallClock()) else {
                return .failure(.invalid("invalid_grant: unknown refresh token"))
            }
            return .success(t)
        default:
            return .failure(.invalid("unsupported_grant_type"))
        }
    }

    package func revoke(_ token: String) { tokens.revoke(token) }
}

extension SimCore {
    /// A fresh `uuid` for an error body.
    package func newErrorId() -> String {
        let h = ids.hex(bytes: 16)
        let c = Array(h)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }
}
