import Foundation
import RuleLanguage
import Simulator

/// How the demo's simulated day starts, on top of the seeded world, so that the
/// bundles of `Rules/` have something to do: an electric car left plugged in at 17 %
/// (off-peak charging), another at 8 % (critical charge), a car with a tank at 12 %
/// fuel (refuel reminder), a car left unlocked (remote lock). Cold November mornings
/// and the commute do the rest (cabin preconditioning, stop when driving…).
enum DemoScenario {
    /// Applies the starting conditions to `vehicles`; returns one line per vehicle
    /// describing it.
    static func prepare(_ core: SimCore, _ vehicles: [DemoStack.Vehicle]) async -> [String] {
        let vins = Set(vehicles.map(\.vin))
        let world = await core.world.vehicles.filter { vins.contains($0.vin) }
        var lines: [String] = []
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
            lines.append("\(p.vin)  \(p.model.hasPrefix(p.brand) ? p.model : p.brand + " " + p.model) (\(p.motorization.rawValue.lowercased())): \(what)")
        }
        return lines
    }
}

extension DemoScenario {
    /// The bundles as the demo deploys them: a `vin` selector naming a car that is not
    /// simulated is dropped (the API would not know it), so a bundle written for real
    /// VINs still reaches the simulated cars through its other selectors (`Rules/security.yaml`
    /// names two real VINs and the tag `fleet-lyon`, which the demo gives every car).
    static func narrow(_ bundles: [CheckedBundle], to vins: Set<String>) -> (bundles: [CheckedBundle], notes: [String]) {
        var notes: [String] = []
        let narrowed = bundles.map { bundle -> CheckedBundle in
            guard case .selectors(let selectors) = bundle.vehicles else { return bundle }
            var b = bundle
            let kept = selectors.filter { if case .vin(let v) = $0 { return vins.contains(v) } else { return true } }
            if kept.count != selectors.count {
                notes.append("\(bundle.name): \(selectors.count - kept.count) vin selector(s) name cars outside the simulation")
                b.vehicles = .selectors(kept)
            }
            return b
        }
        return (narrowed, notes)
    }
}
