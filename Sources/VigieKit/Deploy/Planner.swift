import Foundation
import MonitorCompiler
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import VigieRuntime

/// Builds a `DeploymentPlan`: compiles the configuration's rules for its vehicles (B2C:
/// the inventory, or every vehicle the account lists when the inventory is empty; B2B:
/// the fleet), lists what is deployed, and diffs by label (docs/deploying.md).
///
/// A monitor is Vigie's when its label starts with `vigie:`; only those are ever updated
/// or deleted. Labels end with a hash of the body, so a deployed monitor whose label
/// equals the compiled one is current; one serving the same rules with another hash is
/// updated in place; the rest are deleted or created.
package struct Planner: Sendable {
    package let config: VigieConfig
    package let client: VigieAPIClient

    package init(config: VigieConfig, client: VigieAPIClient) {
        self.config = config
        self.client = client
    }

    /// Loads the rule files of the configuration, then plans. Rule warnings go to `warnings`.
    package func plan() async throws -> DeploymentPlan {
        let (bundles, warnings) = try DeployRules.load(config.rules, channels: config.notifications.names)
        var plan = try await plan(bundles: bundles)
        if !warnings.isEmpty { plan.warnings.insert(warnings.hasSuffix("\n") ? String(warnings.dropLast()) : warnings, at: 0) }
        return plan
    }

    /// Plans the deployment of already checked bundles.
    package func plan(bundles: [CheckedBundle]) async throws -> DeploymentPlan {
        let desiredCallback = CallbackBody.make(config)
        let existing = try await call("listing the callbacks") { try await client.findCallback(label: config.callback.label) }
        var callbackStep = DeploymentPlan.CallbackStep(action: nil, id: existing?.id, label: config.callback.label,
                                                       body: desiredCallback)
        if existing == nil { callbackStep.action = .create }
        else if let existing, !CallbackBody.matches(existing.subscribe, desiredCallback) { callbackStep.action = .update }

        var warnings: [String] = []
        let scopes: [(DeploymentPlan.Scope, [CompiledMonitor])]
        let deployed: [DeploymentPlan.Scope: [MonitorState]]
        switch client {
        case .b2c(let b2c):
            let listed = try await call("listing the vehicles") { try await b2c.vehicles() }
            (scopes, warnings) = try vehicleScopes(bundles, listed: listed)
            deployed = try await deployedB2C(b2c, callbackID: existing?.id, scopes: scopes.map(\.0), listed: listed)
        case .fleet(let fleet):
            let scope = DeploymentPlan.Scope.fleet(fleet.fleetID)
            scopes = [(scope, DesiredMonitors.fleet(bundles, fleetID: fleet.fleetID, options: compileOptions(.b2b)))]
            deployed = [scope: try await call("listing the fleet's monitors") { try await fleet.monitors() }]
        }
        return Self.diff(callback: callbackStep, scopes: scopes, deployed: deployed, warnings: warnings)
    }

    func compileOptions(_ api: MonitorAPI) -> CompileOptions {
        CompileOptions(api: api, callbackURL: config.callback.webhookTarget())
    }

    /// B2C: one scope per vehicle the bundles select, with its monitors (`DesiredMonitors`).
    private func vehicleScopes(_ bundles: [CheckedBundle],
                               listed: [Vehicle]) throws -> ([(DeploymentPlan.Scope, [CompiledMonitor])], [String]) {
        let (vehicles, warnings, unknown) = DesiredMonitors.vehicles(
            bundles, inventory: config.inventory, vehicleIDs: config.vehicleIDs, listed: listed,
            options: compileOptions(.b2c))
        // A VIN only a `{vin: …}` selector names, unknown to the account: skipped (an inventory one is an error).
        if let unknown { throw DeployError.unknownVehicle(unknown) }
        return (vehicles.map { (.vehicle(vin: $0.vin, id: $0.id), $0.monitors) }, warnings)
    }

    /// B2C: the monitors under Vigie's callback, for every targeted or listed vehicle.
    private func deployedB2C(_ b2c: B2CClient, callbackID: String?, scopes: [DeploymentPlan.Scope],
                             listed: [Vehicle]) async throws -> [DeploymentPlan.Scope: [MonitorState]] {
        guard let callbackID else { return [:] }
        var all = scopes
        for vehicle in listed {
            guard let vin = vehicle.vin, !all.contains(where: { if case .vehicle(vin, _) = $0 { return true } else { return false } })
            else { continue }
            all.append(.vehicle(vin: vin, id: vehicle.id))
        }
        var out: [DeploymentPlan.Scope: [MonitorState]] = [:]
        for scope in all {
            guard case .vehicle(let vin, let id) = scope else { continue }
            out[scope] = try await call("listing the monitors of vehicle \(vin)") {
                try await b2c.monitors(vehicle: id, callback: callbackID)
            }
        }
        return out
    }

    func call<T>(_ doing: String, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as DeployError { throw error } catch {
            throw DeployError.api(doing: doing, error: String(describing: error))
        }
    }
}
