import Foundation
import Hummingbird
import VehicleData

/// `/sim/v1/ledger/…`: the platform's own record, for harnesses that check a receiver
/// against it (no auth, like the rest of `/sim/v1`).
/// - `GET /sim/v1/ledger/notifications`: every notification POST and its answer
///   (404 when the simulator runs without a ledger);
/// - `GET /sim/v1/ledger/remotes`: every remote POSTed, whoever posted it.
struct AdminRoutes: Sendable {
    let core: SimCore
    let ledger: Ledger?

    func register(on router: Router<BasicRequestContext>) {
        router.get("sim/v1/ledger/notifications") { _, _ -> Response in
            guard let ledger else {
                return SimHTTP.response(404, .object(["message": .string("the simulator runs without --ledger")]),
                                        contentType: "application/json")
            }
            return SimHTTP.response(200, ledger.json(), contentType: "application/json")
        }
        router.get("sim/v1/ledger/remotes") { _, _ -> Response in
            SimHTTP.response(200, await core.remoteLedger(), contentType: "application/json")
        }
    }
}

extension SimCore {
    /// Every remote POSTed so far, oldest first: `{"remotes": [{remoteActionId, vin,
    /// vehicleId, callbackId, body, type, status, failureCause, done, createdAt}]}`.
    package func remoteLedger() -> JSONValue {
        let items = remotes.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map { r -> JSONValue in
            let v = world.vehicles[r.vehicle]
            return .object([
                "remoteActionId": .string(r.id), "vin": .string(v.vin), "vehicleId": .string(v.profile.id),
                "callbackId": .string(r.callbackId), "body": r.body, "type": .string(r.type),
                "status": .string(r.status), "failureCause": r.failureCause.map(JSONValue.string) ?? .null,
                "done": .bool(r.done), "createdAt": .string(SimTimestamp.format(r.createdAt)),
            ])
        }
        return .object(["remotes": .array(items)])
    }
}
