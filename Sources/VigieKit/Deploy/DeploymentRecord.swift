import Foundation
import Logging
import OutcomeStore
import VigieRuntime

/// What `vigie apply` (and `vigie demo`) leave deployed, written to the runtime store so the
/// console's Deployments page can show the monitors per vehicle and the rules each serves
/// (docs/console.md "Deployments"): the monitors kept as they were, plus those the apply
/// created or updated (with the ids the API gave). Deleted ones are gone.
package enum DeploymentRecord {
    /// The monitors deployed after `plan` was applied as `report` says.
    package static func monitors(_ plan: DeploymentPlan, _ report: ApplyReport) -> [DeployedMonitorRecord] {
        func record(_ scope: DeploymentPlan.Scope, id: String, label: String, rules: [String]) -> DeployedMonitorRecord {
            switch scope {
            case .vehicle(let vin, _):
                return DeployedMonitorRecord(vin: vin, fleet: nil, monitorId: id, label: label, rules: rules, deployedAt: Date())
            case .fleet(let fleet):
                return DeployedMonitorRecord(vin: nil, fleet: fleet, monitorId: id, label: label, rules: rules, deployedAt: Date())
            }
        }
        var out = plan.kept.map { record($0.scope, id: $0.monitorID, label: $0.label, rules: $0.rules) }
        for (step, id) in zip(plan.monitors, report.monitorIDs) where step.action != .delete {
            out.append(record(step.scope, id: id, label: step.label, rules: step.rules))
        }
        return out
    }

    /// Replaces the deployment recorded in the configuration's store (SQLite or PostgreSQL).
    package static func save(_ monitors: [DeployedMonitorRecord], config: VigieConfig, at now: Date = Date()) async throws {
        var logger = Logger(label: "vigie.deploy")
        logger.logLevel = .warning
        let selected = try RuntimeStoreFactory.open(config, logger: logger)
        guard let postgres = selected.postgres else {
            try await selected.store.replaceDeployment(monitors, at: now)
            return
        }
        let client = Task { await postgres.run() }
        defer { client.cancel() }
        try await selected.prepare()
        try await selected.store.replaceDeployment(monitors, at: now)
    }
}
