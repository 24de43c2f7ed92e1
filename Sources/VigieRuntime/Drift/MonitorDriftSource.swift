import Foundation
import MonitorCompiler
import RuleLanguage
import StellantisAPI
import StellantisModels

/// What one drift check found: the drift, what did not stop it, and the vehicles' labels
/// the listing gave (VIN → label).
package struct DriftReport: Sendable {
    package var drift: MonitorDrift
    package var warnings: [String] = []
    package var labels: [String: String] = [:]
}

/// An API access that can list the monitors deployed for Vigie's callback (serve's drift
/// check, `DriftWatcher`). `StellantisVehicleAPI` is one; an access that cannot (the
/// demo's) is simply not checked.
package protocol MonitorDriftSource: Sendable {
    /// Lists the vehicles and the deployed monitors — B2C: the account's vehicles, then the
    /// monitors under the callback of every vehicle compiled for or listed; B2B: the fleet's
    /// vehicles and monitors, every listing paged — and compares them with what `bundles`
    /// compile to, as `vigie plan` does.
    func driftReport(bundles: [CheckedBundle], settings: DriftSettings) async throws -> DriftReport
}

extension StellantisVehicleAPI: MonitorDriftSource {
    package func driftReport(bundles: [CheckedBundle], settings: DriftSettings) async throws -> DriftReport {
        switch client {
        case .b2c(let c):
            let listed = try await c.vehicles()
            let (vehicles, warnings, unknown) = DesiredMonitors.vehicles(
                bundles, inventory: settings.inventory, vehicleIDs: settings.vehicleIDs, listed: listed,
                options: settings.options)
            var report = DriftReport(drift: MonitorDrift(), warnings: warnings, labels: Self.labels(listed))
            if let unknown {
                report.warnings.append("vehicle \(unknown) of the inventory is not among the vehicles the API lists")
            }
            var scopes = vehicles.map { ($0.vin, $0.id) }
            for vehicle in listed {
                guard let vin = vehicle.vin, !scopes.contains(where: { $0.0 == vin }) else { continue }
                scopes.append((vin, vehicle.id))
            }
            var deployed: [String: [MonitorState]] = [:]
            for (vin, id) in scopes {
                deployed["vehicle \(vin)"] = try await c.monitors(vehicle: id, callback: callbackID)
            }
            report.drift = MonitorDrift(scopes: vehicles.map { ("vehicle \($0.vin)", $0.monitors) }, deployed: deployed)
            return report
        case .fleet(let c):
            let wanted = DesiredMonitors.fleet(bundles, fleetID: c.fleetID, options: settings.options)
            let deployed = try await c.monitors()
            let listed = try await c.vehicles()
            return DriftReport(drift: MonitorDrift(scopes: [("fleet \(c.fleetID)", wanted)],
                                                   deployed: ["fleet \(c.fleetID)": deployed]),
                               labels: Self.labels(listed))
        }
    }

    /// VIN → the API's label of the vehicle: its branding label when the listing carries
    /// one (`_embedded.extension.branding.label`), else its `label`.
    static func labels(_ vehicles: [Vehicle]) -> [String: String] {
        var out: [String: String] = [:]
        for vehicle in vehicles {
            guard let vin = vehicle.vin else { continue }
            let label = vehicle.extensionData?.branding?.label ?? vehicle.label
            if let label = label?.trimmingCharacters(in: .whitespacesAndNewlines), !label.isEmpty { out[vin] = label }
        }
        return out
    }
}
