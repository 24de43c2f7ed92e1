import Foundation

/// How a vehicle's state evolves over a small step of simulated time.
enum VehiclePhysics {
    /// Charger power by `chargingPowerLevel`, kW.
    static let powerKW: [String: Double] = ["Level1": 1.8, "Level2": 3.7, "Level3": 7.4, "Level4": 11, "Level5": 22]
    static let chargeEfficiency = 0.9

    /// Advances `v` by `dt` seconds ending at `now`. Returns true when a vehicle event
    /// happened (ignition, plug, doors, charge state), which makes the car report at once.
    @discardableResult
    static func step(_ v: inout SimVehicle, dt: Double, now: Date, temperature: Double, planner: TripPlanner) -> Bool {
        v.state.outsideTemperature = ((temperature + v.temperatureOffset) * 10).rounded() / 10
        var event = false
        switch v.state.activity {
        case .parked(let place, let until, let next):
            if now >= until {
                depart(&v, from: place, to: next)
                event = true
            } else {
                event = parkedStep(&v, dt: dt, now: now) || event
            }
        case .driving:
            event = drive(&v, dt: dt, now: now, planner: planner)
        }
        if let until = v.state.preconditioningEnds, now >= until {
            v.state.preconditioningOn = false
            v.state.preconditioningEnds = nil
            v.state.preconditioningFinished = true
            event = true
        }
        if v.state.preconditioningOn && v.profile.hasBattery && !v.state.charging {
            v.state.batteryLevel = max(0, v.state.batteryLevel - 3.0 / v.profile.batteryKWh * 100 * dt / 3600)
        }
        if let until = v.state.lightsOnUntil, now >= until { v.state.lightsOnUntil = nil }
        if event { v.state.updatedAt = now }
        return event
    }

    private static func parkedStep(_ v: inout SimVehicle, dt: Double, now: Date) -> Bool {
        var event = false
        if v.state.doorOpen, now.timeIntervalSince(v.state.updatedAt) >= 60 {
            // The driver closes the door a minute after arriving, and (usually) locks the car.
            v.state.doorOpen = false
            v.state.doorsLocked = v.rng.chance(0.9)
            v.state.alarmActive = v.state.doorsLocked
            event = true
        }
        if let at = v.state.delayedChargeAt, now >= at {
            v.state.delayedChargeAt = nil
            if v.state.plugged && !v.state.charging && v.state.batteryLevel < chargeTarget(v) {
                v.state.charging = true
                v.state.chargeFinished = false
                event = true
            }
        }
        if v.state.charging {
            let kw = powerKW[v.state.chargingPowerLevel] ?? 7.4
            let gained = kw * chargeEfficiency * dt / 3600 / v.profile.batteryKWh * 100
            v.state.batteryLevel = min(chargeTarget(v), v.state.batteryLevel + gained)
            v.state.awakeUntil = max(v.state.awakeUntil, now.addingTimeInterval(180))
            if v.state.batteryLevel >= chargeTarget(v) {
                v.state.charging = false
                v.state.chargeFinished = true
                event = true
            }
        }
        return event
    }

    static func chargeTarget(_ v: SimVehicle) -> Double { v.state.chargingType == "Partial" ? 80 : 100 }

    private static func depart(_ v: inout SimVehicle, from place: Int, to next: Int) {
        let to = next == place ? (place == 0 ? 1 : 0) : next
        let distance = v.places[place].point.distanceKm(to: v.places[to].point) * 1.3 + 0.5
        v.state.plugged = false
        v.state.charging = false
        v.state.chargeFinished = false
        v.state.chargeFailed = false
        v.state.delayedChargeAt = nil
        v.state.ignition = "Start"
        v.state.doorsLocked = true
        v.state.doorOpen = false
        v.state.alarmActive = false
        v.state.heading = v.places[place].point.heading(to: v.places[to].point)
        v.state.activity = .driving(from: place, to: to, distanceKm: distance, doneKm: 0,
                                    speedKmh: distance > 8 ? 70 : 35)
    }

    private static func drive(_ v: inout SimVehicle, dt: Double, now: Date, planner: TripPlanner) -> Bool {
        guard case .driving(let from, let to, let distance, var done, let cruise) = v.state.activity else { return false }
        let speed = max(5, cruise + v.rng.uniform(-12...12))
        let km = min(distance - done, speed * dt / 3600)
        done += km
        v.state.odometerKm += km
        consume(&v, km: km)
        v.state.speedKmh = (speed * 10).rounded() / 10
        v.state.position = v.places[from].point.interpolated(to: v.places[to].point, fraction: done / distance)
        v.state.awakeUntil = now.addingTimeInterval(180)
        if done >= distance - 1e-9 {
            arrive(&v, at: to, now: now, planner: planner, initial: false)
            return true
        }
        v.state.activity = .driving(from: from, to: to, distanceKm: distance, doneKm: done, speedKmh: cruise)
        return false
    }

    private static func consume(_ v: inout SimVehicle, km: Double) {
        var fuelKm = km
        if v.profile.hasBattery && v.state.batteryLevel > (v.profile.hasTank ? 3 : 0) {
            let pct = v.profile.kWhPer100km * km / 100 / v.profile.batteryKWh * 100
            v.state.batteryLevel = max(0, v.state.batteryLevel - pct)
            fuelKm = 0
        }
        if v.profile.hasTank && fuelKm > 0 {
            let pct = v.profile.litresPer100km * fuelKm / 100 / v.profile.tankLitres * 100
            v.state.fuelLevel = max(0, v.state.fuelLevel - pct)
        }
    }

    /// Parks `v` at place `index`: ignition off, a door open for a minute, plug in where a
    /// charger is and the battery wants it, refuel when low.
    static func arrive(_ v: inout SimVehicle, at index: Int, now: Date, planner: TripPlanner, initial: Bool) {
        let place = v.places[index]
        v.state.position = place.point
        v.state.speedKmh = 0
        v.state.ignition = "Stop"
        v.state.doorOpen = !initial
        v.state.doorsLocked = initial
        v.state.alarmActive = initial
        v.state.awakeUntil = now.addingTimeInterval(initial ? 0 : 180)
        if v.profile.hasTank && v.state.fuelLevel < 15 { v.state.fuelLevel = 100 }
        if v.profile.hasBattery && place.hasCharger {
            let level = v.state.batteryLevel
            if level < 30 || (level < 85 && v.rng.chance(v.profile.isFleetVan ? 1 : 0.6)) {
                v.state.plugged = true
                v.state.chargeFinished = false
                v.state.charging = v.profile.autoStartCharge || level < 15
            }
        }
        let (next, leave) = planner.nextTrip(van: v.profile.isFleetVan, at: index, now: now, using: &v.rng)
        v.state.activity = .parked(at: index, until: leave, next: next)
        v.state.updatedAt = now
    }
}
