import Foundation
import VehicleData

/// What a remote does to a vehicle, and its `Done` status (`Success`, `AlreadyDone`, or
/// `Failed` with a `failureCause`).
enum RemoteEffects {
    static func apply(_ body: JSONValue, to s: inout SimVehicleState, profile: SimVehicleProfile, at now: Date) -> (String, String?) {
        if let c = body["charging"] { return charging(c, &s, profile, now) }
        if let d = body["door"] { return doors(d["state"]?.stringValue == "Locked", &s) }
        if let p = body["preconditioning"]?["airConditioning"] { return preconditioning(p, &s, profile, now) }
        if let l = body["lights"] {
            s.lightsOnUntil = l["on"]?.boolValue == true ? now.addingTimeInterval(30) : nil
            return ("Success", nil)
        }
        // horn, wakeUp, navigation: nothing the status shows.
        return ("Success", nil)
    }

    private static func charging(_ c: JSONValue, _ s: inout SimVehicleState, _ profile: SimVehicleProfile, _ now: Date) -> (String, String?) {
        guard profile.hasBattery else { return ("Failed", "WrongCommand") }
        if let prefs = c["preferences"] {
            if let level = prefs["level"]?.stringValue, VehiclePhysics.powerKW[level] != nil { s.chargingPowerLevel = level }
            if let type = prefs["type"]?.stringValue, type == "Full" || type == "Partial" { s.chargingType = type }
            return ("Success", nil)
        }
        if let at = (c["schedule"]?["nextDelayedTime"] ?? c["nextDelayedTime"])?.stringValue {
            guard let date = SimTimestamp.parse(at) else { return ("Failed", "WrongCommand") }
            s.delayedChargeAt = date
            s.charging = false
            return ("Success", nil)
        }
        if c["schedule"] != nil { return ("Success", nil) }
        let start = c["immediate"]?.boolValue ?? true
        if start {
            guard s.plugged else { return ("Failed", "ExternalChargingSystemError") }
            if s.charging { return ("AlreadyDone", nil) }
            let target: Double = s.chargingType == "Partial" ? 80 : 100
            if s.batteryLevel >= target { s.chargeFinished = true; return ("AlreadyDone", nil) }
            s.charging = true
            s.chargeFinished = false
            s.chargeFailed = false
            return ("Success", nil)
        }
        if !s.charging { return ("AlreadyDone", nil) }
        s.charging = false
        return ("Success", nil)
    }

    private static func doors(_ lock: Bool, _ s: inout SimVehicleState) -> (String, String?) {
        if lock {
            if s.isDriving { return ("Failed", "VehicleInUse") }
            if s.doorOpen { return ("Failed", "DoorsOpen") }
            if s.doorsLocked { return ("AlreadyDone", nil) }
            s.doorsLocked = true
            s.alarmActive = true
        } else {
            if !s.doorsLocked { return ("AlreadyDone", nil) }
            s.doorsLocked = false
            s.alarmActive = false
        }
        return ("Success", nil)
    }

    private static func preconditioning(_ p: JSONValue, _ s: inout SimVehicleState, _ profile: SimVehicleProfile, _ now: Date) -> (String, String?) {
        guard let immediate = p["immediate"]?.boolValue else { return ("Success", nil) }   // programs only
        if immediate {
            if s.preconditioningOn { return ("AlreadyDone", nil) }
            if profile.hasBattery && !profile.hasTank && !s.plugged && s.batteryLevel < 10 {
                return ("Failed", "NotPossibleDueToVehicleBatteryLevel")
            }
            s.preconditioningOn = true
            s.preconditioningFinished = false
            s.preconditioningEnds = now.addingTimeInterval(30 * 60)
        } else {
            if !s.preconditioningOn { return ("AlreadyDone", nil) }
            s.preconditioningOn = false
            s.preconditioningEnds = nil
        }
        return ("Success", nil)
    }
}
