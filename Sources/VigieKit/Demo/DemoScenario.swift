import Foundation
import Simulator

/// How the demo's simulated day starts, on top of the seeded world, so that the
/// bundles of `Rules/` have something to do: an electric car left plugged in at 17 %
/// (off-peak charging), another at 8 % (critical charge), a car with a tank at 12 %
/// fuel (refuel reminder), a car left unlocked (remote lock). Cold November mornings
/// and the commute do the rest (cabin preconditioning, stop when driving…).
enum DemoScenario {
    struct Vehicle: Sendable {
        var vin: String
        var id: String
        var label: String
        var brand: String
    }

    /// Applies the starting conditions to the first `count` vehicles; returns one line
    /// per vehicle describing it.
    static func prepare(_ core: SimCore, count: Int) async -> (vehicles: [Vehicle], lines: [String]) {
        let world = await core.world.vehicles.prefix(count)
        var lines: [String] = []
        var vehicles: [Vehicle] = []
        var evs = 0, tanks = 0, unlocked = 0
        for v in world {
            let p = v.profile
            var what = ""
            if p.motorization == .electric && evs < 2 {
                let level: Double = evs == 0 ? 17 : 8
                await core.adjustVehicle(p.vin) { s in
                    s.batteryLevel = level; s.plugged = true; s.charging = false
                    s.chargeFinished = false; s.chargeFailed = false
                }
                what = "starts at \(Int(level)) %, plugged in, not charging"
                evs += 1
            } else if p.hasTank && tanks == 0 {
                await core.adjustVehicle(p.vin) { s in s.fuelLevel = 12 }
                what = "starts with 12 % fuel"
                tanks += 1
            } else if unlocked == 0 {
                await core.adjustVehicle(p.vin) { s in s.doorsLocked = false; s.doorOpen = false }
                what = "was left unlocked"
                unlocked += 1
            } else {
                what = "an ordinary day"
            }
            vehicles.append(Vehicle(vin: p.vin, id: p.id, label: "\(p.brand) \(p.model)", brand: p.brand))
            lines.append("  \(p.vin)  \(p.brand) \(p.model) (\(p.motorization.rawValue.lowercased())): \(what)")
        }
        return (vehicles, lines)
    }
}
