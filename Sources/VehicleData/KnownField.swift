/// FieldIDs the decoders write, looked up once by alias in the generated catalog (a test
/// checks every alias here exists, so the force-unwrap cannot fail on a shipped catalog).
enum KnownField {
    static func id(_ alias: String) -> FieldID {
        guard let field = Catalog.field(named: alias) else {
            preconditionFailure("catalog lacks \(alias): re-run scripts/generate-catalog.py")
        }
        return field.id
    }

    static let batteryLevel = id("battery.level")
    static let batteryAutonomy = id("battery.autonomy")
    static let fuelLevel = id("fuel.level")
    static let fuelAutonomy = id("fuel.autonomy")
    static let autonomy = id("autonomy")
    static let chargingPlugged = id("charging.plugged")
    static let chargingStatus = id("charging.status")
    static let chargingMode = id("charging.mode")
    static let chargingRate = id("charging.rate")
    static let chargingRemainingTime = id("charging.remaining_time")
    static let chargingType = id("charging.type")
    static let chargingPowerLevel = id("charging.power_level")
    static let speed = id("speed")
    static let moving = id("moving")
    static let odometer = id("odometer")
    static let outsideTemperature = id("outside.temperature")
    static let ignition = id("ignition")
    static let preconditioningStatus = id("preconditioning.status")
    static let privacy = id("privacy")
    static let alarmActive = id("alarm.active")
    static let alarmTrigger = id("alarm.trigger")
    static let doorsLocked = id("doors.locked")
    static let doorsOpen = id("doors.open")
    static let position = id("position")
    static let powertrainStatus = id("powertrain.status")
    static let alerts = id("alerts")
    static let oilTemperature = id("oil.temperature")
    static let drivingMode = id("driving.mode")
    static let batteryHealth = id("battery.health")
    static let batteryHealthResistance = id("battery.health.resistance")
    static let auxBatteryHealth = id("aux_battery.health")
}
