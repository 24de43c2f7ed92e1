import RuleLanguage
import StellantisModels
import VehicleData

/// Which Stellantis API the monitors are for.
public enum MonitorAPI: String, Sendable, Hashable, CaseIterable {
    /// `POST /user/vehicles/{id}/callbacks/{cbid}/monitors`, one set per vehicle.
    case b2c
    /// `POST /fleets/{fid}/monitors`, one set per fleet (schema requires a callback).
    case b2b
}

/// A set of vehicles that get the same monitors: one VIN, or (`vin == nil`) every
/// vehicle the bundles select that is not listed on its own.
public struct CompileTarget: Sendable, Hashable {
    public var vin: String?
    public var fleet: String?
    /// The bundles deployed on these vehicles (all of them count against the 5 monitors).
    public var bundles: [CheckedBundle]
    public init(vin: String?, fleet: String? = nil, bundles: [CheckedBundle]) {
        self.vin = vin
        self.fleet = fleet
        self.bundles = bundles
    }
}

public struct CompileOptions: Sendable, Hashable {
    public var api: MonitorAPI
    /// B2B only: the webhook fleet monitors notify (`subscribeParam.callback.webhook`).
    public var callbackURL: String
    public init(api: MonitorAPI = .b2c, callbackURL: String = "https://vigie.example/webhook") {
        self.api = api
        self.callbackURL = callbackURL
    }
}

/// Entry point: checked bundles deployed on vehicles → monitor definitions (≤ 5 per
/// vehicle, ≤ 5 triggers each) and, per rule, where it runs and what the engine still
/// checks (DESIGN.md "Compiling to monitors").
public enum MonitorCompiler {
    public static func compile(_ targets: [CompileTarget], options: CompileOptions = CompileOptions()) -> Compilation {
        var cache: [String: CompiledRule] = [:]
        var vehicles: [VehicleCompilation] = []
        for target in targets {
            let rules = target.bundles.flatMap { bundle in
                bundle.rules.map { rule -> CompiledRule in
                    let key = "\(bundle.name)/\(rule.id)"
                    if let hit = cache[key] { return hit }
                    let compiled = RuleCompiler.compile(rule, in: bundle)
                    cache[key] = compiled
                    return compiled
                }
            }
            vehicles.append(MonitorAssembler.assemble(rules, for: target, options: options))
        }
        return Compilation(api: options.api, vehicles: vehicles)
    }

    /// Convenience: one target (`vin: nil`) holding every bundle.
    public static func compile(_ bundles: [CheckedBundle], options: CompileOptions = CompileOptions()) -> Compilation {
        compile([CompileTarget(vin: nil, bundles: bundles)], options: options)
    }
}
