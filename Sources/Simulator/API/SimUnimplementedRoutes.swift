import Foundation
import Hummingbird

/// The documented operations the simulator does not simulate (trips, telemetry,
/// collisions, stolen-vehicle history, alert details, vehicle capabilities). Each answers
/// like the API: after `client_id`, rate limits and authentication, a 501 with the
/// documented error body and the rate-limit headers — never a bare 404.
struct SimUnimplementedRoutes: Sendable {
    let http: SimHTTP

    /// B2C paths under `/connectedcar/v4` (all `GET`).
    static let b2c = [
        "user/vehicles/:id/telemetry", "user/vehicles/:id/collisions", "user/vehicles/:id/collisions/:cid",
        "user/vehicles/:id/alerts/:aid", "user/vehicles/:id/trips", "user/vehicles/:id/trips/:tid",
        "user/vehicles/:id/trips/:tid/alerts", "user/vehicles/:id/trips/:tid/alerts/:aid",
        "user/vehicles/:id/trips/:tid/collisions", "user/vehicles/:id/trips/:tid/collisions/:cid",
        "user/vehicles/:id/trips/:tid/wayPoints", "user/vehicles/:id/trips/:tid/telemetry",
    ]

    /// B2B paths under `/connectedcar/v3` (all `GET`).
    static let b2b = [
        "vehicles/:vin",
        "fleets/:fid/alerts/:aid", "fleets/:fid/collisions", "fleets/:fid/collisions/:cid", "fleets/:fid/trips",
        "fleets/:fid/vehicles/:vid/alerts/:aid", "fleets/:fid/vehicles/:vid/telemetry",
        "fleets/:fid/vehicles/:vid/collisions", "fleets/:fid/vehicles/:vid/collisions/:cid",
        "fleets/:fid/vehicles/:vid/stolen", "fleets/:fid/vehicles/:vid/stolen/:sid",
        "fleets/:fid/vehicles/:vid/stolen/:sid/waypoints",
        "fleets/:fid/vehicles/:vid/trips", "fleets/:fid/vehicles/:vid/trips/:tid",
        "fleets/:fid/vehicles/:vid/trips/:tid/collisions", "fleets/:fid/vehicles/:vid/trips/:tid/alerts",
        "fleets/:fid/vehicles/:vid/trips/:tid/alerts/:aid", "fleets/:fid/vehicles/:vid/trips/:tid/wayPoints",
        "fleets/:fid/vehicles/:vid/trips/:tid/telemetry",
    ]

    func register(b2c: RouterGroup<BasicRequestContext>, b2b: RouterGroup<BasicRequestContext>) {
        for path in Self.b2c { register(b2c, path, auth: .bearer) }
        for path in Self.b2b { register(b2b, path, auth: .basic) }
    }

    private func register(_ r: RouterGroup<BasicRequestContext>, _ path: String, auth: SimHTTP.Auth) {
        let names = SimRouteNames.parameters(path)
        r.on(RouterPath(path), method: .get) { request, context in
            await http.respond(request, context, auth: auth, names: names) { _ in
                throw SimAPIError.notImplemented("GET", request.uri.path)
            }
        }
    }
}
