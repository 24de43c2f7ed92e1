import Foundation
import Hummingbird
import Logging
import VehicleData

/// The simulated Stellantis API as a Hummingbird router: B2C under `/connectedcar/v4`,
/// B2B under `/connectedcar/v3`, OAuth2 under `/oauth2`, and a small `/sim/v1` control API.
/// With a `ledger`, `/sim/v1/ledger/notifications` serves it (see `AdminRoutes`).
package func buildSimRouter(core: SimCore, ledger: Ledger? = nil) -> Router<BasicRequestContext> {
    let router = Router()
    let http = SimHTTP(core: core, config: core.config)
    let b2c = router.group("connectedcar/v4"), b2b = router.group("connectedcar/v3")
    SimB2CRoutes(http: http, core: core).register(on: b2c)
    SimB2BRoutes(http: http, core: core).register(on: b2b)
    SimUnimplementedRoutes(http: http).register(b2c: b2c, b2b: b2b)
    SimOAuthRoutes(core: core).register(on: router)
    AdminRoutes(core: core, ledger: ledger).register(on: router)
    return router
}

/// The application `vigie sim` runs: the router, and the driver ticking the world and
/// sending notifications. `onRunning` receives the bound port (useful with port 0).
package func buildSimApplication(core: SimCore, driver: SimDriver, host: String = "127.0.0.1", port: Int,
                                logger: Logger? = nil, ledger: Ledger? = nil,
                                onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    var log = logger ?? Logger(label: "vigie.sim")
    if logger == nil { log.logLevel = .warning }
    return Application(
        router: buildSimRouter(core: core, ledger: ledger),
        configuration: .init(address: .hostname(host, port: port), serverName: "vigie-sim"),
        services: [driver],
        onServerRunning: { channel in
            let bound = channel.localAddress?.port ?? port
            await core.setBaseURL("http://\(host):\(bound)")
            await onRunning(bound)
        },
        logger: log)
}

/// B2C paths (`/connectedcar/v4/user/...`).
struct SimB2CRoutes: Sendable {
    let http: SimHTTP
    let core: SimCore

    func register(on r: RouterGroup<BasicRequestContext>) {
        let v = "user/vehicles/:id", cb = "callbacks/:cbid"
        get(r, "user") { try .ok(await core.user($0.principal)) }
        get(r, "user/vehicles") { try .ok(await core.vehicles($0.principal)) }
        get(r, v) { try .ok(await core.vehicle($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/status") { try .ok(await core.status($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/lastPosition") { try .geo(await core.lastPosition($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/alerts") { try .ok(await core.alerts($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/maintenance") { try .ok(await core.maintenance($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/alarms") { try .ok(await core.alarms($0.principal, id: $0.param("id"))) }
        get(r, "\(v)/alarms/:aid") { try .ok(await core.alarm($0.principal, id: $0.param("id"), alarm: $0.param("aid"))) }
        // Callbacks
        get(r, "user/callbacks") { .ok(await core.listCallbacks($0.principal)) }
        on(r, "user/callbacks", .post) { try .ok(await core.createCallback($0.principal, body: try $0.requireBody())) }
        get(r, "user/\(cb)") { try .ok(await core.getCallback($0.principal, id: $0.param("cbid"))) }
        on(r, "user/\(cb)", .put) {
            try .accepted(await core.updateCallback($0.principal, id: $0.param("cbid"), body: try $0.requireBody()))
        }
        on(r, "user/\(cb)", .delete) { try await core.deleteCallback($0.principal, id: $0.param("cbid")); return .noContent }
        on(r, "user/\(cb)/status", .put) {
            try .accepted(await core.setCallbackStatus($0.principal, id: $0.param("cbid"), body: try $0.requireBody()))
        }
        // Monitors
        let m = "\(v)/\(cb)/monitors"
        get(r, m) { c in try .ok(await core.listMonitors(c.principal, vehicle: c.param("id"), callback: c.param("cbid"))) }
        on(r, m, .post) { c in
            try .accepted(await core.createMonitor(c.principal, vehicle: c.param("id"), callback: c.param("cbid"),
                                                   body: try c.requireBody()))
        }
        get(r, "\(m)/:mid") { c in
            try .ok(await core.getMonitor(c.principal, vehicle: c.param("id"), callback: c.param("cbid"), monitor: c.param("mid")))
        }
        on(r, "\(m)/:mid", .put) { c in
            try .accepted(await core.updateMonitor(c.principal, vehicle: c.param("id"), callback: c.param("cbid"),
                                                   monitor: c.param("mid"), body: try c.requireBody()))
        }
        on(r, "\(m)/:mid", .delete) { c in
            try await core.deleteMonitor(c.principal, vehicle: c.param("id"), callback: c.param("cbid"), monitor: c.param("mid"))
            return .noContent
        }
        on(r, "\(m)/:mid/status", .put) { c in
            try .accepted(await core.setMonitorStatus(c.principal, vehicle: c.param("id"), callback: c.param("cbid"),
                                                      monitor: c.param("mid"), body: try c.requireBody()))
        }
        // Remotes
        let rem = "\(v)/\(cb)/remotes"
        on(r, rem, .post) { c in
            try .accepted(await core.postRemote(c.principal, vehicle: c.param("id"), callback: c.param("cbid"),
                                                body: try c.requireBody()))
        }
        get(r, rem) { c in try .ok(await core.listRemotes(c.principal, vehicle: c.param("id"), callback: c.param("cbid"))) }
        get(r, "\(rem)/:rid") { c in
            try .ok(await core.getRemote(c.principal, vehicle: c.param("id"), callback: c.param("cbid"), remote: c.param("rid")))
        }
    }

    private func get(_ r: RouterGroup<BasicRequestContext>, _ path: String,
                     _ handler: @escaping @Sendable (SimCall) async throws -> SimReply) {
        on(r, path, .get, handler)
    }

    private func on(_ r: RouterGroup<BasicRequestContext>, _ path: String, _ method: HTTPRequest.Method,
                    _ handler: @escaping @Sendable (SimCall) async throws -> SimReply) {
        let names = SimRouteNames.parameters(path)
        r.on(RouterPath(path), method: method) { request, context in
            await http.respond(request, context, auth: .bearer, names: names, handler: handler)
        }
    }
}

enum SimRouteNames {
    /// `:id`-style parameter names of a path.
    static func parameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }
}
