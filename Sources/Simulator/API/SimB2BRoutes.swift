import Foundation
import Hummingbird
import VehicleData

/// B2B fleet paths (`/connectedcar/v3/fleets/{fid}/...`): the fleet, its vehicles and their
/// data, monitors, remote callbacks and remotes. HTTP Basic authorization (`client_id:client_secret`).
struct SimB2BRoutes: Sendable {
    let http: SimHTTP
    let core: SimCore

    func register(on r: RouterGroup<BasicRequestContext>) {
        let f = "fleets/:fid", v = "fleets/:fid/vehicles/:vid"
        on(r, "fleets", .get) { c in try .ok(await core.fleets(c.principal)) }
        on(r, f, .get) { c in try .ok(await core.fleet(c.principal, fleet: c.param("fid"))) }
        on(r, "\(f)/vehicles", .get) { c in try .ok(await core.fleetVehicles(c.principal, fleet: c.param("fid"))) }
        on(r, "\(f)/status", .get) { c in try .ok(await core.fleetStatusList(c.principal, fleet: c.param("fid"))) }
        on(r, "\(f)/maintenances", .get) { c in try .ok(await core.fleetMaintenances(c.principal, fleet: c.param("fid"))) }
        on(r, "\(f)/alerts", .get) { c in try .ok(await core.fleetAlerts(c.principal, fleet: c.param("fid"))) }
        on(r, v, .get) { c in
            try .ok(await core.fleetVehicleById(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/status", .get) { c in
            try .ok(await core.fleetStatus(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/lastPosition", .get) { c in
            try .geo(await core.fleetLastPosition(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/maintenance", .get) { c in
            try .ok(await core.fleetMaintenance(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/alerts", .get) { c in
            try .ok(await core.fleetVehicleAlerts(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/alarms", .get) { c in
            try .ok(await core.fleetAlarms(c.principal, fleet: c.param("fid"), vehicle: c.param("vid")))
        }
        on(r, "\(v)/alarms/:aid", .get) { c in
            try .ok(await core.fleetAlarm(c.principal, fleet: c.param("fid"), vehicle: c.param("vid"), alarm: c.param("aid")))
        }
        // Monitors
        on(r, "\(f)/monitors", .get) { c in try .ok(await core.listFleetMonitors(c.principal, fleet: c.param("fid"))) }
        on(r, "\(f)/monitors", .post) { c in
            try .accepted(await core.createFleetMonitor(c.principal, fleet: c.param("fid"), body: try c.requireBody()))
        }
        on(r, "\(f)/monitors/:mid", .get) { c in
            try .ok(await core.getFleetMonitor(c.principal, fleet: c.param("fid"), monitor: c.param("mid")))
        }
        on(r, "\(f)/monitors/:mid", .put) { c in
            try .accepted(await core.updateFleetMonitor(c.principal, fleet: c.param("fid"), monitor: c.param("mid"),
                                                        body: try c.requireBody()))
        }
        on(r, "\(f)/monitors/:mid", .delete) { c in
            try await core.deleteFleetMonitor(c.principal, fleet: c.param("fid"), monitor: c.param("mid"))
            return .noContent
        }
        on(r, "\(f)/monitors/:mid/status", .put) { c in
            try .accepted(await core.setFleetMonitorStatus(c.principal, fleet: c.param("fid"), monitor: c.param("mid"),
                                                           body: try c.requireBody()))
        }
        // Remote callbacks
        let cb = "\(f)/remote/callbacks"
        on(r, cb, .get) { c in try .ok(await core.listFleetCallbacks(c.principal, fleet: c.param("fid"))) }
        on(r, cb, .post) { c in
            try .ok(await core.createFleetCallback(c.principal, fleet: c.param("fid"), body: try c.requireBody()))
        }
        on(r, "\(cb)/:cbid", .get) { c in
            try .ok(await core.getFleetCallback(c.principal, fleet: c.param("fid"), id: c.param("cbid")))
        }
        on(r, "\(cb)/:cbid", .put) { c in
            try .accepted(await core.updateCallback(c.principal, id: c.param("cbid"), body: try c.requireBody(), b2b: true,
                                                    fleet: c.param("fid")))
        }
        on(r, "\(cb)/:cbid", .delete) { c in
            try await core.deleteCallback(c.principal, id: c.param("cbid"), fleet: c.param("fid"))
            return .noContent
        }
        on(r, "\(cb)/:cbid/status", .put) { c in
            try .accepted(await core.setCallbackStatus(c.principal, id: c.param("cbid"), body: try c.requireBody(),
                                                       fleet: c.param("fid")))
        }
        // Remotes
        let rem = "\(f)/vehicles/:vid/callbacks/:cbid/remotes"
        on(r, rem, .post) { c in
            try .accepted(await core.postRemote(c.principal, vehicle: c.param("vid"), callback: c.param("cbid"),
                                                body: try c.requireBody(), fleet: c.param("fid")))
        }
        on(r, rem, .get) { c in
            try .ok(await core.listRemotes(c.principal, vehicle: c.param("vid"), callback: c.param("cbid"), fleet: c.param("fid")))
        }
        on(r, "\(rem)/:rid", .get) { c in
            try .ok(await core.getRemote(c.principal, vehicle: c.param("vid"), callback: c.param("cbid"),
                                         remote: c.param("rid"), fleet: c.param("fid")))
        }
    }

    private func on(_ r: RouterGroup<BasicRequestContext>, _ path: String, _ method: HTTPRequest.Method,
                    _ handler: @escaping @Sendable (SimCall) async throws -> SimReply) {
        let names = SimRouteNames.parameters(path)
        r.on(RouterPath(path), method: method) { request, context in
            await http.respond(request, context, auth: .basic, names: names, handler: handler)
        }
    }
}
