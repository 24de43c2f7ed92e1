import Foundation
import Logging
import StellantisAPI
import Synchronization

/// The Stellantis API access shared by the services that talk to it (dispatcher,
/// poller), and whether it can be used now. The `APIConnector` builds and attaches it;
/// the dispatcher reports a session that died while running. Each change of state is
/// one log line and moves the `vigie_api_ready` gauge; `/readyz` reads `readiness`.
final class APIAccess: Sendable {
    private struct State {
        /// Why the API cannot be used now (nil: it can).
        var unavailable: String? = APIAccess.notConnected
        var everReady = false
    }

    static let notConnected = "not connected yet"

    private let attached = Once<any VehicleAPI>()
    /// Signalled when a service saw the session (or the API) fail after the access was
    /// attached: the connector then probes until it works again.
    let lostSignal = WakeSignal()
    private let state = Mutex(State())
    private let metrics: RuntimeMetrics
    private let logger: Logger

    init(metrics: RuntimeMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
        metrics.set(RuntimeMetrics.apiReady, to: 0)
    }

    /// The access, once attached; waits until then (cancellable).
    func api() async throws -> any VehicleAPI { try await attached.value() }

    /// The access if attached.
    var current: (any VehicleAPI)? { attached.current }

    /// Whether the API can be used now, and why not.
    var readiness: (ready: Bool, reason: String?) {
        state.withLock { ($0.unavailable == nil, $0.unavailable) }
    }

    /// Attaches the access (once) and marks the API usable.
    func attach(_ api: any VehicleAPI) {
        available()   // first: whoever awaits `api()` finds the API usable
        attached.resolve(.success(api))
    }

    /// The API answers again.
    func available() {
        let was: String?? = state.withLock { s in
            guard let reason = s.unavailable else { return .none }
            s.unavailable = nil
            defer { s.everReady = true }
            return .some(s.everReady || reason != Self.notConnected ? reason : nil)
        }
        guard case .some(let previous) = was else { return }
        metrics.set(RuntimeMetrics.apiReady, to: 1)
        if previous != nil { logger.info("Stellantis API available again; commands resume") }
    }

    /// A service saw the session fail while running (e.g. the refresh token was revoked):
    /// commands wait, `/readyz` says why, and the connector probes until it works again.
    func lost(_ reason: String) {
        unavailable(reason)
        lostSignal.signal()
    }

    /// The API (or the session) cannot be used: logged once per change of reason.
    func unavailable(_ reason: String) {
        let changed = state.withLock { s -> Bool in
            defer { s.unavailable = reason }
            return s.unavailable != reason
        }
        metrics.set(RuntimeMetrics.apiReady, to: 0)
        if changed {
            logger.warning("Stellantis API unavailable; notifications are still stored, commands wait",
                           metadata: ["reason": "\(reason)"])
        }
    }
}

extension APIAccess {
    /// Whether `error` says the session is unusable (a refresh refused, no stored tokens,
    /// an access token the API refuses): the request was not acted on.
    static func isSessionFailure(_ error: any Error) -> Bool {
        guard let error = error as? StellantisAPIError else { return false }
        switch error {
        case .authentication: return true
        case .api(let failure): return failure.status == 401
        default: return false
        }
    }

    /// The reason `/readyz` gives for `error`.
    static func sessionReason(_ error: any Error) -> String {
        isSessionFailure(error) ? "session unavailable: \(error)" : "\(error)"
    }
}
