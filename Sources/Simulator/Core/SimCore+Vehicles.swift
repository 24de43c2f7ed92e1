import Foundation
import VehicleData

/// User and vehicle data: `/user`, `/user/vehicles[/{id}[/status|/lastPosition|/alerts]]`,
/// `/fleets/{fid}/vehicles[/{vid}/status]`.
extension SimCore {
    static let users: [String: (first: String, last: String, email: String)] = [
        SimWorld.firstUser: ("Alice", "Martin", "alice.martin@example.com"),
        SimWorld.secondUser: ("Bruno", "Petit", "bruno.petit@example.com"),
    ]

    public func user(_ p: SimPrincipal) throws -> JSONValue {
        guard case .user(let u, _) = p, let info = Self.users[u] else { throw SimAPIError.notFound("User") }
        return .object([
            "_links": .object(["self": HAL.link("\(b2cBase)/user"), "vehicles": HAL.link("\(b2cBase)/user/vehicles")]),
            "email": .string(info.email), "firstName": .string(info.first), "lastName": .string(info.last),
            "createdAt": .string(SimTimestamp.format(world.vehicles.first.map { _ in now } ?? now)),
            "updatedAt": .string(SimTimestamp.format(now)),
        ])
    }

    public func vehicles(_ p: SimPrincipal) throws -> JSONValue {
        guard case .user(let u, _) = p else { throw SimAPIError.forbiddenVehicle() }
        let mine = world.vehicles.filter { $0.owner == u }
        return HAL.collection(mine.map(vehicleJSON), key: "vehicles", href: "\(b2cBase)/user/vehicles")
    }

    public func vehicle(_ p: SimPrincipal, id: String) throws -> JSONValue {
        vehicleJSON(world.vehicles[try vehicleIndex(id, for: p)])
    }

    public func status(_ p: SimPrincipal, id: String) throws -> JSONValue {
        renderer.status(world.vehicles[try vehicleIndex(id, for: p)])
    }

    public func lastPosition(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let v = world.vehicles[try vehicleIndex(id, for: p)]
        if v.reported.privacy != "None" { throw SimAPIError.noData() }
        return renderer.position(v, altitude: config.quirks)
    }

    public func alerts(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let i = try vehicleIndex(id, for: p)
        let href = "\(b2cBase)/user/vehicles/\(world.vehicles[i].profile.id)/alerts"
        return HAL.collection([], key: "alerts", href: href)
    }

    public func fleetVehicles(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        let items = world.vehicles.map { v in
            JSONValue.object([
                "_links": .object(["self": HAL.link("\(b2bBase)/fleets/\(fid)/vehicles/\(v.profile.id)")]),
                "id": .string(v.profile.id), "vin": .string(v.vin),
            ])
        }
        return HAL.collection(items, key: "vehicles", href: "\(b2bBase)/fleets/\(fid)/vehicles")
    }

    public func fleetStatus(_ p: SimPrincipal, fleet fid: String, vehicle id: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return renderer.status(world.vehicles[try vehicleIndex(id, for: p)])
    }

    func vehicleJSON(_ v: SimVehicle) -> JSONValue {
        let href = "\(b2cBase)/user/vehicles/\(v.profile.id)"
        var links: [String: JSONValue] = ["self": HAL.link(href), "user": HAL.link("\(b2cBase)/user")]
        for sub in ["status", "lastPosition", "alerts", "callbacks"] { links[sub] = HAL.link("\(href)/\(sub)") }
        return .object([
            "_links": .object(links), "id": .string(v.profile.id), "vin": .string(v.vin),
            "motorization": .string(v.profile.motorization.rawValue), "brand": .string(v.profile.brand),
            "label": .string(v.profile.model),
            "createdAt": .string(SimTimestamp.format(now)), "updatedAt": .string(SimTimestamp.format(now)),
            "_embedded": .object(["extension": .object([
                "branding": .object(["brand": .string(v.profile.brand), "label": .string(v.profile.model)]),
            ])]),
        ])
    }
}
