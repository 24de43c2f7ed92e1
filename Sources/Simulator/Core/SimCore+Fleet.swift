import Foundation
import VehicleData

/// The B2B fleet's read-only data (api-b2b.yaml): `/fleets[/{fid}]`, `/fleets/{fid}/vehicles[/{vid}]`,
/// a vehicle's `status`, `lastPosition` (GeoJSON), `maintenance`, `alerts` and `alarms`, and the
/// fleet-wide `status`, `maintenances` and `alerts` lists. Every vehicle of the world is in the
/// fleet. Links point only to routes the simulator answers.
extension SimCore {
    var fleetHref: String { "\(b2bBase)/fleets/\(config.fleetId)" }

    func fleetVehicleHref(_ v: SimVehicle) -> String { "\(fleetHref)/vehicles/\(v.profile.id)" }

    /// A fleet vehicle the caller may read (the fleet is the caller's, the vehicle is in it).
    func fleetVehicle(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> SimVehicle {
        try checkFleet(fid, p)
        return world.vehicles[try vehicleIndex(vid, for: p)]
    }

    // MARK: Fleets

    package func fleets(_ p: SimPrincipal) throws -> JSONValue {
        guard case .fleet(let fid, _) = p else { throw SimAPIError.forbiddenFleet() }
        return HAL.collection([fleetJSON(fid)], key: "fleets", href: "\(b2bBase)/fleets")
    }

    package func fleet(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return fleetJSON(fid)
    }

    private func fleetJSON(_ fid: String) -> JSONValue {
        let href = "\(b2bBase)/fleets/\(fid)"
        var links: [String: JSONValue] = ["self": HAL.link(href)]
        for (rel, sub) in [("vehicles", "vehicles"), ("status", "status"), ("maintenances", "maintenances"),
                           ("alerts", "alerts"), ("monitors", "monitors"), ("callbacks", "remote/callbacks")] {
            links[rel] = HAL.link("\(href)/\(sub)")
        }
        return .object(["_links": .object(links), "id": .string(fid), "name": .string("Simulated fleet \(fid)"),
                        "createdAt": .string(SimTimestamp.format(world.start)), "updatedAt": .string(SimTimestamp.format(now))])
    }

    // MARK: Vehicles

    package func fleetVehicles(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return HAL.collection(world.vehicles.map(fleetVehicleJSON), key: "vehicles", href: "\(fleetHref)/vehicles")
    }

    package func fleetVehicleById(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        fleetVehicleJSON(try fleetVehicle(p, fleet: fid, vehicle: vid))
    }

    /// `VehicleItem` / `Vehicle`: links to the vehicle's routes that answer.
    func fleetVehicleJSON(_ v: SimVehicle) -> JSONValue {
        let href = fleetVehicleHref(v)
        var links: [String: JSONValue] = ["self": HAL.link(href), "fleet": HAL.link(fleetHref),
                                          "monitors": HAL.link("\(fleetHref)/monitors"),
                                          "callbacks": HAL.link("\(fleetHref)/remote/callbacks")]
        for sub in ["status", "lastPosition", "maintenance", "alerts"] { links[sub] = HAL.link("\(href)/\(sub)") }
        return .object([
            "_links": .object(links), "id": .string(v.profile.id), "vin": .string(v.vin),
            "motorization": .string(v.profile.motorization.rawValue), "brand": .string(v.profile.brand),
            "createdAt": .string(SimTimestamp.format(world.start)), "updatedAt": .string(SimTimestamp.format(v.reportedAt)),
        ])
    }

    // MARK: One vehicle's data

    package func fleetStatus(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        fleetStatusJSON(try fleetVehicle(p, fleet: fid, vehicle: vid), links: true)
    }

    /// The B2B `Status`: the vehicle's status with its `vin`, fleet links (or none, for a
    /// notification's `vehicle.status` extension) and a position carrying the VIN.
    func fleetStatusJSON(_ v: SimVehicle, links: Bool) -> JSONValue {
        guard var o = renderer.status(v).objectValue else { return renderer.status(v) }
        o["vin"] = .string(v.vin)
        let href = fleetVehicleHref(v)
        o["_links"] = links ? .object(["self": HAL.link("\(href)/status"), "vehicle": HAL.link(href),
                                       "fleet": HAL.link(fleetHref)]) : nil
        if o["lastPosition"] != nil { o["lastPosition"] = fleetPositionJSON(v, altitude: config.quirks) }
        return .object(o)
    }

    package func fleetLastPosition(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        let v = try fleetVehicle(p, fleet: fid, vehicle: vid)
        if v.reported.privacy != "None" { throw SimAPIError.noData() }
        return fleetPositionJSON(v, altitude: config.quirks)
    }

    /// `Position` with `properties.vin` (B2B).
    func fleetPositionJSON(_ v: SimVehicle, altitude: Bool = false) -> JSONValue {
        var position = renderer.position(v, altitude: altitude)
        if case .object(var o) = position, case .object(var properties)? = o["properties"] {
            properties["vin"] = .string(v.vin)
            o["properties"] = .object(properties)
            position = .object(o)
        }
        return position
    }

    package func fleetMaintenance(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        let v = try fleetVehicle(p, fleet: fid, vehicle: vid)
        return maintenanceJSON(v, links: fleetMaintenanceLinks(v))
    }

    private func fleetMaintenanceLinks(_ v: SimVehicle) -> [String: String] {
        let href = fleetVehicleHref(v)
        return ["self": "\(href)/maintenance", "vehicle": href, "alerts": "\(href)/alerts"]
    }

    package func fleetVehicleAlerts(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        let v = try fleetVehicle(p, fleet: fid, vehicle: vid)
        return HAL.collection([], key: "alerts", href: "\(fleetVehicleHref(v))/alerts")
    }

    package func fleetAlarms(_ p: SimPrincipal, fleet fid: String, vehicle vid: String) throws -> JSONValue {
        let v = try fleetVehicle(p, fleet: fid, vehicle: vid)
        return HAL.collection(alarmItems(v), key: "alarms", href: "\(fleetVehicleHref(v))/alarms")
    }

    package func fleetAlarm(_ p: SimPrincipal, fleet fid: String, vehicle vid: String, alarm aid: String) throws -> JSONValue {
        let v = try fleetVehicle(p, fleet: fid, vehicle: vid)
        guard let item = alarmItems(v).first(where: { $0["id"]?.stringValue == aid }) else {
            throw SimAPIError.notFound("Alarm \(aid)")
        }
        return item
    }

    // MARK: Fleet-wide lists

    package func fleetStatusList(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return HAL.collection(world.vehicles.map { fleetStatusJSON($0, links: true) }, key: "status", href: "\(fleetHref)/status")
    }

    package func fleetMaintenances(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        let items = world.vehicles.map { maintenanceJSON($0, links: fleetMaintenanceLinks($0)) }
        return HAL.collection(items, key: "maintenances", href: "\(fleetHref)/maintenances")
    }

    package func fleetAlerts(_ p: SimPrincipal, fleet fid: String) throws -> JSONValue {
        try checkFleet(fid, p)
        return HAL.collection([], key: "alerts", href: "\(fleetHref)/alerts")
    }
}
