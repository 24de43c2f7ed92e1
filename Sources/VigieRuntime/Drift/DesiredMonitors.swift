import MonitorCompiler
import RuleEngine
import RuleLanguage
import StellantisModels

/// What the rules compile to, per vehicle (B2C) or fleet (B2B): the monitors `vigie plan`
/// compares with the deployed ones, and `vigie serve` again to alert on drift
/// (docs/deploying.md, docs/notifications.md "monitors-drifted"). Pure.
package enum DesiredMonitors {
    /// One B2C vehicle's compiled monitors.
    package struct Vehicle: Sendable {
        package var vin: String
        /// The API's vehicle id.
        package var id: String
        package var monitors: [CompiledMonitor]
    }

    /// B2C: one entry per vehicle the bundles select — the inventory's vehicles, or every
    /// vehicle the account lists (`listed`) when the inventory is empty, plus VINs named by
    /// `{vin: …}` selectors. Ids come from the listing, overridden by `vehicleIDs`
    /// (`vehicles:` ids in vigie.yaml). A VIN only a selector names and the API does not
    /// list is skipped with a warning; `unknown` is the first inventory VIN the API does
    /// not list (`vigie plan` refuses it).
    package static func vehicles(_ bundles: [CheckedBundle], inventory configured: Inventory,
                                 vehicleIDs: [String: String], listed: [StellantisModels.Vehicle],
                                 options: CompileOptions)
        -> (vehicles: [Vehicle], warnings: [String], unknown: String?) {
        let inventory = configured.vehicles.isEmpty
            ? Inventory(vehicles: listed.compactMap(\.vin).map { Inventory.Vehicle(vin: $0) }) : configured
        var ids = Dictionary(listed.compactMap { v in v.vin.map { ($0, v.id) } }, uniquingKeysWith: { a, _ in a })
        ids.merge(vehicleIDs) { _, configuredID in configuredID }
        var (targets, warnings) = VehicleTargets.make(bundles, api: .b2c, inventory: inventory, vins: [], fleet: nil)
        var unknown: String?
        targets = targets.filter { target in
            guard let vin = target.vin, ids[vin] == nil else { return true }
            if configured.vehicle(vin: vin) != nil {
                if unknown == nil { unknown = vin }
                return false
            }
            warnings.append("vehicle \(vin), named by a `vin` selector, is not among the vehicles the API lists: skipped")
            return false
        }
        let compilation = MonitorCompiler.compile(targets, options: options)
        let vehicles = compilation.vehicles.compactMap { vehicle -> Vehicle? in
            guard let vin = vehicle.vin, let id = ids[vin] else { return nil }
            return Vehicle(vin: vin, id: id, monitors: vehicle.monitors)
        }
        return (vehicles, warnings, unknown)
    }

    /// B2B: the fleet's monitors (one target carrying every bundle).
    package static func fleet(_ bundles: [CheckedBundle], fleetID: String, options: CompileOptions) -> [CompiledMonitor] {
        MonitorCompiler.compile([CompileTarget(vin: nil, fleet: fleetID, bundles: bundles)], options: options).monitors
    }
}
