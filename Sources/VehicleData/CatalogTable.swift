// Bootstrap table; see Catalog.swift.
enum CatalogTable {
    static let chargingStatus = ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"]

    static let fields: [Field] = {
        var out: [Field] = []
        func add(_ alias: String, _ path: String, _ type: ValueType, integral: Bool = false,
                 monitor: (String, Set<MonitorOp>)? = nil, _ summary: String) {
            out.append(Field(id: FieldID(UInt16(out.count)), alias: alias, statusPath: path, type: type,
                             isIntegral: integral, monitor: monitor.map { MonitorSupport(path: $0.0, ops: $0.1) },
                             summary: summary))
        }
        let cmp: Set<MonitorOp> = [.equalsTo, .greaterThan, .lowerThan]
        add("battery.level", "energies[type=Electric].level", .number(.percent), integral: true,
            monitor: ("vehicle.energy.electric.level", cmp), "Traction battery state of charge")
        add("battery.autonomy", "energies[type=Electric].autonomy", .number(.distance), integral: true,
            monitor: ("vehicle.energy.electric.autonomy", cmp), "Electric range")
        add("fuel.level", "energies[type=Fuel].level", .number(.percent), integral: true,
            monitor: ("vehicle.energy.fuel.level", cmp), "Fuel tank level")
        add("fuel.autonomy", "energies[type=Fuel].autonomy", .number(.distance), integral: true,
            monitor: ("vehicle.energy.fuel.autonomy", cmp), "Fuel range")
        add("autonomy", "sum of energies[].autonomy", .number(.distance), integral: true,
            monitor: ("vehicle.autonomy", cmp), "Global range, all energies")
        add("charging.plugged", "energies[type=Electric].extension.electric.charging.plugged", .bool,
            monitor: ("vehicle.energy.charging.plugged", [.onChange, .equalsTo]), "Charging cable plugged in")
        add("charging.status", "energies[type=Electric].extension.electric.charging.status", .enumeration(chargingStatus),
            monitor: ("vehicle.energy.charging.status", [.onChange, .equalsTo, .includedIn]), "Charging status")
        add("speed", "kinetic.speed", .number(.speed), monitor: ("vehicle.kinetic.speed", cmp), "Vehicle speed")
        add("moving", "kinetic.moving", .bool, monitor: ("vehicle.kinetic.moving", [.onChange, .equalsTo]), "Vehicle moving")
        add("odometer", "odometer.mileage", .number(.distance), integral: true,
            monitor: ("vehicle.odometer", cmp), "Odometer")
        add("outside.temperature", "environment.air.temp", .number(.temperature),
            monitor: ("environment.air.temp", cmp), "Outside air temperature")
        add("ignition", "ignition.type", .enumeration(["Stop", "StartUp", "Start"]), "Ignition state")
        add("preconditioning.status", "preconditioning.airConditioning.status",
            .enumeration(["Enabled", "Disabled", "Finished", "Failure"]), "Air-conditioning preconditioning status")
        add("privacy", "privacy.state", .enumeration(["None", "Geolocation", "Full"]),
            monitor: ("privacy.state", [.equalsTo, .onChange, .includedIn]), "Privacy mode")
        add("alarm.active", "alarm.status.activation == Active", .bool, "Alarm armed")
        add("doors.locked", "doorsState.lockedStates", .bool, "All doors locked")
        add("position", "lastPosition.geometry.coordinates", .point, "Last known position")
        return out
    }()

    static let monitorPaths: [MonitorSupport] = []
}
