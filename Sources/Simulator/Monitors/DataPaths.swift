import Foundation

/// The 29 `DataTrigger.data` paths, the ops each accepts (the table of the `DataTrigger`
/// schema in api-b2c.yaml), and how the simulator reads each from a vehicle.
package enum DataPaths {
    static let cmp = ["equalsTo", "greaterThan", "lowerThan"]

    /// Path → accepted ops, in the table's order.
    package static let table: [(path: String, ops: [String])] = [
        ("vehicle.alert", ["onChange", "includedIn", "equalsTo"]),
        ("vehicle.odometer", cmp),
        ("vehicle.powertrain.status", ["equalsTo", "onChange", "includedIn"]),
        ("vehicle.engines.thermic.oil.temp", cmp),
        ("vehicle.energy.electric.level", cmp),
        ("vehicle.energy.electric.autonomy", cmp),
        ("vehicle.energy.fuel.level", cmp),
        ("vehicle.energy.fuel.autonomy", cmp),
        ("vehicle.autonomy", cmp),
        ("vehicle.energy.charging.status", ["onChange", "equalsTo", "includedIn"]),
        ("vehicle.energy.charging.plugged", ["onChange", "equalsTo"]),
        ("vehicle.energy.charging.type", ["onChange", "equalsTo"]),
        ("vehicle.doorsState.lockedState", ["onChange"]),
        ("vehicle.doorsState.opening", ["onChange"]),
        ("vehicle.kinetic.moving", ["onChange", "equalsTo"]),
        ("vehicle.kinetic.speed", cmp),
        ("vehicle.trip.start", ["onChange"]),
        ("vehicle.trip.stop", ["onChange"]),
        ("vehicle.trip.duration", cmp),
        ("vehicle.trip.distance", cmp),
        ("vehicle.trip.state", ["includedIn"]),
        ("vehicle.safety.beltWarning", ["onChange", "equalsTo"]),
        ("environment.air.temp", cmp),
        ("privacy.state", ["equalsTo", "onChange", "includedIn"]),
        ("vehicle.drivingBehavior.mode", ["equalsTo", "onChange", "includedIn"]),
        ("vehicle.safety.autoECallTriggering", ["equalsTo", "onChange", "includedIn"]),
        ("vehicle.preconditioning.airConditioning", ["onChange"]),
        ("vehicle.alarm.trigger.type", ["onChange", "equalsTo", "includedIn"]),
        ("vehicle.alarm.status.activation", ["onChange", "equalsTo"]),
    ]

    package static let ops: [String: [String]] = Dictionary(uniqueKeysWithValues: table.map { ($0.path, $0.ops) })

    /// A value of a monitored datum.
    package enum Value: Sendable, Hashable {
        case number(Double)
        case text(String)

        /// The `literalValue` of a notification.
        package var literal: String {
            switch self {
            case .text(let s): return s
            case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
            }
        }
    }

    /// The current value of `path` for a vehicle (what it last reported); nil when the
    /// simulator has no such datum for it.
    package static func value(_ path: String, of v: SimVehicle) -> Value? {
        let s = v.reported
        switch path {
        case "vehicle.odometer": return .number(s.odometerKm.rounded(.down))
        case "vehicle.energy.electric.level": return v.profile.hasBattery ? .number(round1(s.batteryLevel)) : nil
        case "vehicle.energy.electric.autonomy":
            return v.profile.hasBattery ? .number(StatusRenderer.electricAutonomy(v).rounded()) : nil
        case "vehicle.energy.fuel.level": return v.profile.hasTank ? .number(round1(s.fuelLevel)) : nil
        case "vehicle.energy.fuel.autonomy": return v.profile.hasTank ? .number(StatusRenderer.fuelAutonomy(v).rounded()) : nil
        case "vehicle.autonomy":
            return .number(StatusRenderer.electricAutonomy(v).rounded() + StatusRenderer.fuelAutonomy(v).rounded())
        case "vehicle.energy.charging.status": return v.profile.hasBattery ? .text(s.chargingStatus) : nil
        case "vehicle.energy.charging.plugged": return v.profile.hasBattery ? .text(s.plugged ? "true" : "false") : nil
        case "vehicle.energy.charging.type": return v.profile.hasBattery ? .text(s.chargingType) : nil
        case "vehicle.doorsState.lockedState": return .text(s.doorsLocked ? "Locked" : "Unlocked")
        case "vehicle.doorsState.opening": return .text(s.doorOpen ? "Driver:Open" : "Closed")
        case "vehicle.kinetic.moving": return .text(s.moving ? "true" : "false")
        case "vehicle.kinetic.speed": return .number(round1(s.speedKmh))
        case "environment.air.temp": return .number(round1(s.outsideTemperature))
        case "privacy.state": return .text(s.privacy)
        case "vehicle.preconditioning.airConditioning":
            return .text(s.preconditioningOn ? "Enabled" : (s.preconditioningFinished ? "Finished" : "Disabled"))
        case "vehicle.alarm.status.activation": return .text(s.alarmActive ? "Active" : "Inactive")
        case "vehicle.alarm.trigger.type": return .text("NoBreakIn")
        default: return nil
        }
    }

    static func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
}
