import MonitorCompiler
import RuleEngine
import RuleLanguage
import VigieRuntime

/// Which vehicles get which bundles, for `vigie compile` (docs/compiling.md "Vehicles"):
/// `VehicleTargets`, which `vigie serve`'s drift check shares with `vigie plan`.
enum CompileTargets {
    static func make(_ bundles: [CheckedBundle], api: MonitorAPI, inventory: Inventory?, vins: [String],
                     fleet: String?) -> ([CompileTarget], [String]) {
        VehicleTargets.make(bundles, api: api, inventory: inventory, vins: vins, fleet: fleet)
    }
}

extension VehicleSelection {
    /// Whether a `{tag: …}` selector is among them (they need an inventory to match).
    var usesTags: Bool { VehicleTargets.usesTags(self) }
}
