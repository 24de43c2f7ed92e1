import Foundation
import VehicleData

/// Helpers shared by the decoder tests.
enum TestPayloads {
    static func json(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            preconditionFailure("bad test JSON at \(file):\(line): \(error)")
        }
    }

    static func id(_ alias: String) -> FieldID {
        guard let field = Catalog.field(named: alias) else { preconditionFailure("no field \(alias)") }
        return field.id
    }

    /// The observation as alias → value, for readable assertions.
    static func byAlias(_ observation: Observation) -> [String: FieldValue] {
        Dictionary(uniqueKeysWithValues: observation.values.map { (Catalog[$0.key].alias, $0.value) })
    }

    /// A status in the schema's shape (`energies`, `extension.electric.charging`).
    static let schemaShaped = """
    {
      "_links": {"self": {"href": "https://api.groupe-psa.com/connectedcar/v4/user/vehicles/abc/status"}},
      "createdAt": "2026-11-27T08:00:00Z",
      "updatedAt": "2026-11-27T08:00:05Z",
      "energies": [
        {"type": "Fuel", "createdAt": "2026-11-27T08:00:00Z", "level": 41.5, "autonomy": 320,
         "extension": {"fuel": {"consumptions": {"total": 12.5, "instant": 5.1}}}},
        {"type": "Electric", "subType": "ElectricEnergy", "createdAt": "2026-11-27T08:00:00Z",
         "level": 18, "autonomy": 62,
         "extension": {"electric": {
            "battery": {"load": {"createdAt": "2026-11-27T08:00:00Z", "capacity": 50000, "residual": 9000},
                        "health": {"createdAt": "2026-11-20T12:00:00Z", "capacity": 97, "resistance": 95}},
            "charging": {"plugged": true, "status": "InProgress", "remainingTime": "PT1H30M",
                         "chargingRate": 42, "chargingPowerLevel": "Level3", "chargingMode": "Slow",
                         "type": "Full", "nextDelayedTime": "PT0S"}}}}
      ],
      "kinetic": {"createdAt": "2026-11-27T08:00:00Z", "speed": 0, "moving": false, "acceleration": 0},
      "odometer": {"createdAt": "2026-11-27T08:00:00Z", "mileage": 12978.9},
      "environment": {"air": {"createdAt": "2026-11-27T08:00:00Z", "temp": -3.5},
                      "luminosity": {"createdAt": "2026-11-27T08:00:00Z", "day": true}},
      "ignition": {"createdAt": "2026-11-27T08:00:00Z", "type": "Stop"},
      "preconditioning": {"airConditioning": {"createdAt": "2026-11-27T08:00:00Z", "status": "Disabled"}},
      "privacy": {"createdAt": "2026-11-27T08:00:00Z", "state": "None"},
      "alarm": {"status": {"createdAt": "2026-11-27T08:00:00Z", "activation": "Active"},
                "trigger": {"createdAt": "2026-11-27T08:00:00Z", "type": "NoBreakIn", "startAt": "2026-11-27T07:00:00Z"}},
      "doorsState": {"createdAt": "2026-11-27T08:00:00Z", "lockedStates": ["Locked"],
                     "opening": [{"identifier": "Driver", "state": "Closed"}, {"identifier": "Trunk", "state": "Closed"}]},
      "lastPosition": {"type": "Feature",
                       "geometry": {"type": "Point", "coordinates": [2.3333, 48.8667]},
                       "properties": {"createdAt": "2026-11-27T08:00:00Z", "heading": 90, "type": "Acquire"}},
      "powertrain": {"createdAt": "2026-11-27T08:00:00Z", "status": "NotRunning"},
      "battery": {"createdAt": "2026-11-26T22:00:00Z", "voltage": 87.5},
      "engines": [{"createdAt": "2026-11-27T08:00:00Z", "type": "Thermic",
                   "extension": {"thermic": {"oil": {"temp": 87.5, "level": 80}}}}],
      "drivingBehavior": {"createdAt": "2026-11-27T08:00:00Z", "mode": "Eco"}
    }
    """

    /// The real-world shape of stellantis-api/README.md: `energy` array, `charging`
    /// directly in the electric entry, `preconditionning`, an enum value the schema
    /// lacks, null timestamps, an altitude, extra fields.
    static let realWorld = """
    {
      "createdAt": null, "updatedAt": "2026-11-27T08:00:05.123Z", "service": {"type": "Electric", "updatedAt": null},
      "energy": [
        {"type": "Fuel", "level": 0, "autonomy": null, "updatedAt": null},
        {"type": "Electric", "level": 80.5, "autonomy": 250, "updatedAt": null,
         "charging": {"plugged": false, "status": "Disconnected", "chargingMode": "No", "chargingRate": 0,
                      "remainingTime": "PT0S", "nextDelayedTime": "PT22H"},
         "battery": {"health": {"capacity": 98}}, "residual": 41.2}
      ],
      "kinetic": {"moving": true, "speed": 87.3, "extraField": 1},
      "odometer": {"mileage": 45000.4},
      "preconditionning": {"airConditioning": {"status": "Enabled", "updatedAt": null}},
      "privacy": {"state": "Geolocation"},
      "ignition": {"type": "StartUp", "createdAt": null},
      "doorsState": {"lockedStates": ["Unlocked"], "opening": [{"identifier": "Driver", "state": "Open"}]},
      "lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.29, 48.85, 35.0]},
                       "properties": {"updatedAt": null, "type": "Estimated"}},
      "timed.odometer": {"mileage": 1},
      "unknownBlock": {"anything": [1, 2, {"x": null}]}
    }
    """
}
