import MonitorCompiler
import RuleEngine
import RuleLanguage

/// Which vehicles get which bundles, for `vigie compile` (docs/compiling.md "Vehicles"),
/// `vigie plan`/`apply` and serve's drift check (`DesiredMonitors`); VigieKit's `CompileTargets`
/// forwards here.
///
/// - B2C with `--vin`: exactly those vehicles, each with the bundles that select it.
/// - B2C with `--inventory`: every inventory vehicle, plus VINs named by `{vin: …}` selectors.
/// - B2C with neither: one target `vin: null` standing for every vehicle `vehicles: all`
///   bundles select, plus one target per VIN a `{vin: …}` selector names (carrying the
///   `all` bundles too). `{tag: …}` selectors match nothing without an inventory (warning).
/// - B2B: a fleet monitor watches every vehicle of the fleet, so one target
///   (`vin: null`, `fleet: --fleet`) carries every bundle; the engine applies the
///   `vehicles:` selectors to the notifications.
package enum VehicleTargets {
    package static func make(_ bundles: [CheckedBundle], api: MonitorAPI, inventory: Inventory?, vins: [String],
                     fleet: String?) -> ([CompileTarget], [String]) {
        var warnings: [String] = []
        if inventory == nil {
            for b in bundles {
                if usesTags(b.vehicles) {
                    warnings.append("bundle \(b.name): tag selectors match no vehicle without --inventory")
                }
            }
        }
        if api == .b2b { return ([CompileTarget(vin: nil, fleet: fleet, bundles: bundles)], warnings) }
        let known = inventory ?? Inventory()
        var list: [String] = vins
        if vins.isEmpty {
            list += known.vehicles.map(\.vin)
            for b in bundles {
                if case .selectors(let selectors) = b.vehicles {
                    for case .vin(let v) in selectors { list.append(v) }
                }
            }
        }
        var seen = Set<String>()
        var targets: [CompileTarget] = []
        if vins.isEmpty, inventory == nil {
            let everyone = bundles.filter { $0.vehicles == .all }
            if !everyone.isEmpty { targets.append(CompileTarget(vin: nil, fleet: fleet, bundles: everyone)) }
        }
        for vin in list where seen.insert(vin).inserted {
            let carried = bundles.filter { known.selects($0.vehicles, vin: vin) }
            if carried.isEmpty {
                warnings.append("vehicle \(vin): no bundle selects it")
                continue
            }
            targets.append(CompileTarget(vin: vin, fleet: fleet, bundles: carried))
        }
        return (targets, warnings)
    }

    /// Whether a `{tag: …}` selector is among them (they need an inventory to match).
    package static func usesTags(_ selection: VehicleSelection) -> Bool {
        guard case .selectors(let selectors) = selection else { return false }
        return selectors.contains { if case .tag = $0 { return true } else { return false } }
    }
}
