import Foundation
import VehicleData

/// User and vehicle data: `/user`, `/user/vehicles[/{id}[/status|/lastPosition|/alerts|/maintenance|/alarms]]`
/// (the fleet side is in SimCore+Fleet.swift).
extension SimCore {
    static let users: [String: (first: String, last: String, email: String)] = [
        SimWorld.firstUser: ("Alice", "Martin", "alice.martin@example.com"),
        SimWorld.secondUser: ("Bruno", "Petit", "bruno.petit@example.com"),
    ]

    package func user(_ p: SimPrincipal) throws -> JSONValue {
        guard case .user(let u, _) = p, let info = Self.users[u] else { throw SimAPIError.notFound("User") }
        return .object([
            "_links": .object(["self": HAL.link("\(b2cBase)/user"), "vehicles": HAL.link("\(b2cBase)/user/vehicles")]),
            "email": .string(info.email), "firstName": .string(info.first), "lastName": .string(info.last),
            "createdAt": .string(SimTimestamp.format(world.vehicles.first.map { _ in now } ?? now)),
            "updatedAt": .string(SimTimestamp.format(now)),
        ])
    }

    package func vehicles(_ p: SimPrincipal) throws -> JSONValue {
        guard case .user(let u, _) = p else { throw SimAPIError.forbiddenVehicle() }
        let mine = world.vehicles.filter { $0.owner == u }
        return HAL.collection(mine.map(vehicleJSON), key: "vehicles", href: "\(b2cBase)/user/vehicles")
    }

    package func vehicle(_ p: SimPrincipal, id: String) throws -> JSONValue {
        vehicleJSON(world.vehicles[try vehicleIndex(id, for: p)])
    }

    package func status(_ p: SimPrincipal, id: String) throws -> JSONValue {
        renderer.status(world.vehicles[try vehicleIndex(id, for: p)])
    }

    package func lastPosition(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let v = world.vehicles[try vehicleIndex(id, for: p)]
        if v.reported.privacy != "None" { throw SimAPIError.noData() }
        return renderer.position(v, altitude: config.quirks)
    }

    package func alerts(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let i = try vehicleIndex(id, for: p)
        let href = "\(b2cBase)/user/vehicles/\(world.vehicles[i].profile.id)/alerts"
        return HAL.collection([], key: "alerts", href: href)
    }

    package func maintenance(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let v = world.vehicles[try vehicleIndex(id, for: p)]
        let href = "\(b2cBase)/user/vehicles/\(v.profile.id)"
        return maintenanceJSON(v, links: ["self": "\(href)/maintenance", "vehicle": href, "alerts": "\(href)/alerts"])
    }

    package func alarms(_ p: SimPrincipal, id: String) throws -> JSONValue {
        let v = world.vehicles[try vehicleIndex(id, for: p)]
        return HAL.collection(alarmItems(v), key: "alarms", href: "\(b2cBase)/user/vehicles/\(v.profile.id)/alarms")
    }

    package func alarm(_ p: SimPrincipal, id: String, alarm aid: String) throws -> JSONValue {
        let v = world.vehicles[try vehicleIndex(id, for: p)]
        guard let item = alarmItems(v).first(where: { $0["id"]?.stringValue == aid }) else {
            throw SimAPIError.notFound("Alarm \(aid)")
        }
        return item
    }

    /// The simulated service plan: a service every 30,000 km or 365 days, whichever comes
    /// first; the day count runs from a per-vehicle anniversary drawn from the VIN, the
    /// mileage from the odometer the car reported.
    static let serviceIntervalKm = 30_000.0
    static let serviceIntervalDays = 365

    func maintenanceJSON(_ v: SimVehicle, links: [String: String]) -> JSONValue {
        let anniversary = v.vin.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % Self.serviceIntervalDays }
        let day = Int(floor(v.reportedAt.timeIntervalSince1970 / 86400))
        let days = Self.serviceIntervalDays - 1 - ((day + anniversary) % Self.serviceIntervalDays)
        let km = Self.serviceIntervalKm - v.reported.odometerKm.truncatingRemainder(dividingBy: Self.serviceIntervalKm)
        var o: [String: JSONValue] = [
            "vin": .string(v.vin), "daysBeforeMaintenance": .number(Double(days)),
            "mileageBeforeMaintenance": .number((km * 10).rounded() / 10),
            "createdAt": .string(SimTimestamp.format(v.reportedAt)), "updatedAt": .string(SimTimestamp.format(v.reportedAt)),
        ]
        if !links.isEmpty { o["_links"] = .object(links.mapValues(HAL.link)) }
        return .object(o)
    }

    /// The vehicle's alarm as the API lists it: one entry, the alarm's current status (the
    /// simulated cars are never broken into, so there is no trigger).
    func alarmItems(_ v: SimVehicle) -> [JSONValue] {
        [.object([
            "id": .string("alarm-\(v.profile.id.prefix(12))"),
            "status": .object(["createdAt": .string(SimTimestamp.format(v.reported.updatedAt)),
                               "activation": .string(v.reported.alarmActive ? "Active" : "Inactive")]),
        ])]
    }

    func vehicleJSON(_ v: SimVehicle) -> JSONValue {
        let href = "\(b2cBase)/user/vehicles/\(v.profile.id)"
        var links: [String: JSONValue] = ["self": HAL.link(href), "user": HAL.link("\(b2cBase)/user")]
        for sub in ["status", "lastPosition", "alerts", "maintenance", "alarms"] { links[sub] = HAL.link("\(href)/\(sub)") }
        links["callbacks"] = HAL.link("\(b2cBase)/user/callbacks")
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
