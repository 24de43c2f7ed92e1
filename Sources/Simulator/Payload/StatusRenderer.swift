import Foundation
import VehicleData

/// Renders what a vehicle reported as the API's JSON bodies: `Status` in the schema's
/// shape, or (quirks) the real-world shape of stellantis-api/README.md.
package struct StatusRenderer: Sendable {
    /// Base URL links point to (`http://host:port/connectedcar/v4`).
    package var baseURL: String
    package var quirks: Bool

    package init(baseURL: String, quirks: Bool) {
        self.baseURL = baseURL
        self.quirks = quirks
    }

    static func link(_ href: String) -> JSONValue { .object(["href": .string(href)]) }
    static func ts(_ d: Date) -> JSONValue { .string(SimTimestamp.format(d)) }
    static func round1(_ x: Double) -> JSONValue { .number((x * 10).rounded() / 10) }

    /// `GET /user/vehicles/{id}/status`.
    package func status(_ v: SimVehicle) -> JSONValue {
        let s = v.reported, at = v.reportedAt
        let vehicleURL = "\(baseURL)/user/vehicles/\(v.profile.id)"
        var o: [String: JSONValue] = [
            "_links": .object(["self": Self.link(vehicleURL + "/status"), "vehicle": Self.link(vehicleURL)]),
            "createdAt": Self.ts(at), "updatedAt": Self.ts(at),
            "ignition": .object(["createdAt": Self.ts(s.updatedAt), "type": .string(s.ignition)]),
            "lastPosition": position(v),
            "doorsState": doors(s, at: s.updatedAt),
            "privacy": .object(["createdAt": Self.ts(at), "state": .string(s.privacy)]),
            "odometer": .object(["createdAt": Self.ts(at), "mileage": Self.round1(s.odometerKm)]),
            "kinetic": .object(["createdAt": Self.ts(at), "speed": Self.round1(s.speedKmh), "moving": .bool(s.moving)]),
            "environment": .object([
                "air": .object(["createdAt": Self.ts(at), "temp": Self.round1(s.outsideTemperature)]),
                "luminosity": .object(["createdAt": Self.ts(at), "day": .bool(isDay(at))]),
            ]),
            "alarm": .object(["status": .object(["createdAt": Self.ts(s.updatedAt),
                                                 "activation": .string(s.alarmActive ? "Active" : "Inactive")])]),
        ]
        let energies = energyEntries(v)
        let precond: JSONValue = .object(["airConditioning": .object([
            "createdAt": Self.ts(s.updatedAt), "status": .string(preconditioningStatus(s)),
        ])])
        if quirks {
            // Real-world deviations: `energy` as an array with `charging` inline, the
            // `preconditionning` spelling, coordinates with altitude, null timestamps, extras.
            o["energy"] = .array(energies.map(quirkEnergy))
            o["preconditionning"] = precond
            o["updatedAt"] = .null
            o["lastPosition"] = position(v, altitude: true)
            o["battery"] = .object(["createdAt": Self.ts(at), "voltage": .number(80), "current": .number(0)])
            o["timed.odometer"] = .object(["createdAt": .null, "mileage": Self.round1(s.odometerKm)])
        } else {
            o["energies"] = .array(energies)
            o["preconditioning"] = precond
        }
        return .object(o)
    }

    func preconditioningStatus(_ s: SimVehicleState) -> String {
        s.preconditioningOn ? "Enabled" : (s.preconditioningFinished ? "Finished" : "Disabled")
    }

    private func isDay(_ date: Date) -> Bool {
        let h = TripPlanner().localHour(date)
        return h >= 7.5 && h < 18
    }

    /// `Position` (GeoJSON Feature): `GET .../lastPosition`.
    package func position(_ v: SimVehicle, altitude: Bool = false) -> JSONValue {
        let s = v.reported
        var coords: [JSONValue] = [.number(rounded(s.position.longitude, 6)), .number(rounded(s.position.latitude, 6))]
        if altitude { coords.append(.number(35)) }
        return .object([
            "type": .string("Feature"),
            "geometry": .object(["type": .string("Point"), "coordinates": .array(coords)]),
            "properties": .object(["createdAt": Self.ts(v.reportedAt), "heading": .number(Double(s.heading)),
                                   "type": .string("Acquire"), "signalQuality": .number(88)]),
        ])
    }

    func doors(_ s: SimVehicleState, at: Date) -> JSONValue {
        let ids = ["Driver", "Passenger", "RearLeft", "RearRight", "Trunk"]
        return .object([
            "createdAt": Self.ts(at),
            "lockedStates": .array([.string(s.doorsLocked ? "Locked" : "Unlocked")]),
            "opening": .array(ids.map { id in
                .object(["identifier": .string(id), "state": .string(id == "Driver" && s.doorOpen ? "Open" : "Closed")])
            }),
        ])
    }

    private func energyEntries(_ v: SimVehicle) -> [JSONValue] {
        let s = v.reported, p = v.profile, at = Self.ts(v.reportedAt)
        var out: [JSONValue] = []
        if p.hasTank {
            out.append(.object(["createdAt": at, "type": .string("Fuel"), "subType": .string("FossilEnergy"),
                                "level": Self.round1(s.fuelLevel),
                                "autonomy": .number(Self.fuelAutonomy(v).rounded())]))
        }
        if p.hasBattery {
            out.append(.object(["createdAt": at, "type": .string("Electric"), "subType": .string("ElectricEnergy"),
                                "level": Self.round1(s.batteryLevel),
                                "autonomy": .number(Self.electricAutonomy(v).rounded()),
                                "extension": .object(["electric": .object(["charging": charging(v)])])]))
        }
        return out
    }

    private func quirkEnergy(_ entry: JSONValue) -> JSONValue {
        guard var o = entry.objectValue else { return entry }
        if let charging = o["extension"]?["electric"]?["charging"] {
            o["charging"] = charging
            o["extension"] = nil
        }
        o["updatedAt"] = .null
        return .object(o)
    }

    func charging(_ v: SimVehicle) -> JSONValue {
        let s = v.reported
        let kw = VehiclePhysics.powerKW[s.chargingPowerLevel] ?? 7.4
        let remainingPct = max(0, VehiclePhysics.chargeTarget(v) - s.batteryLevel)
        let hours = s.charging ? remainingPct / 100 * v.profile.batteryKWh / (kw * VehiclePhysics.chargeEfficiency) : 0
        let rate = s.charging ? min(500, kw * VehiclePhysics.chargeEfficiency / v.profile.kWhPer100km * 100) : 0
        var o: [String: JSONValue] = [
            "plugged": .bool(s.plugged), "status": .string(s.chargingStatus),
            "remainingTime": .string(Self.isoDuration(hours * 3600)),
            "chargingRate": .number(rate.rounded()), "chargingPowerLevel": .string(s.chargingPowerLevel),
            "chargingMode": .string(s.charging ? (kw >= 11 ? "Quick" : "Slow") : "No"),
            "type": .string(s.chargingType),
        ]
        if let at = s.delayedChargeAt { o["nextDelayedTime"] = Self.ts(at) }
        return .object(o)
    }

    static func electricAutonomy(_ v: SimVehicle) -> Double {
        guard v.profile.hasBattery else { return 0 }
        return v.reported.batteryLevel / 100 * v.profile.batteryKWh / v.profile.kWhPer100km * 100
    }

    static func fuelAutonomy(_ v: SimVehicle) -> Double {
        guard v.profile.hasTank else { return 0 }
        return v.reported.fuelLevel / 100 * v.profile.tankLitres / v.profile.litresPer100km * 100
    }

    /// `PT2H10M` style durations.
    static func isoDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60
        if h == 0 && m == 0 { return "PT0M" }
        return "PT" + (h > 0 ? "\(h)H" : "") + (m > 0 ? "\(m)M" : "")
    }

    private func rounded(_ x: Double, _ digits: Int) -> Double {
        let f = pow(10, Double(digits))
        return (x * f).rounded() / f
    }
}

