import MonitorCompiler
import StellantisModels

extension Planner {
    /// The API's limit of monitors per vehicle (client id and user).
    static let monitorsPerVehicle = 5

    /// Compiled monitors against deployed ones, per scope (pure: tests call it directly).
    static func diff(callback: DeploymentPlan.CallbackStep, scopes: [(DeploymentPlan.Scope, [CompiledMonitor])],
                     deployed: [DeploymentPlan.Scope: [MonitorState]], warnings: [String]) -> DeploymentPlan {
        var deletes: [DeploymentPlan.MonitorStep] = [], updates: [DeploymentPlan.MonitorStep] = []
        var creates: [DeploymentPlan.MonitorStep] = []
        var unchanged = 0, foreign = 0
        var kept: [DeploymentPlan.KeptMonitor] = []
        var warnings = warnings
        var seen = Set<DeploymentPlan.Scope>()
        for (scope, wanted) in scopes where seen.insert(scope).inserted {
            let present = deployed[scope] ?? []
            let others = present.filter { !isVigie($0.monitor.label) }
            foreign += others.count
            if case .vehicle = scope, others.count + wanted.count > monitorsPerVehicle {
                warnings.append("\(scope): \(others.count) monitor(s) not owned by Vigie plus \(wanted.count) of Vigie's "
                    + "exceed the API's \(monitorsPerVehicle) per vehicle; creating some will fail")
            }
            let steps = diff(scope: scope, wanted: wanted, present: present.filter { isVigie($0.monitor.label) })
            unchanged += steps.unchanged.count
            kept += steps.unchanged
            deletes += steps.deletes
            updates += steps.updates
            creates += steps.creates
        }
        // Scopes only deployed (a vehicle no bundle selects any more): delete Vigie's monitors there.
        for (scope, present) in deployed.sorted(by: { "\($0.key)" < "\($1.key)" }) where !seen.contains(scope) {
            foreign += present.filter { !isVigie($0.monitor.label) }.count
            deletes += present.filter { isVigie($0.monitor.label) }.map(deleteStep(scope))
        }
        var plan = DeploymentPlan(callback: callback, monitors: deletes + updates + creates, unchanged: unchanged,
                                  foreign: foreign, warnings: warnings)
        plan.kept = kept
        return plan
    }

    private static func diff(scope: DeploymentPlan.Scope, wanted: [CompiledMonitor], present: [MonitorState])
        -> (unchanged: [DeploymentPlan.KeptMonitor], deletes: [DeploymentPlan.MonitorStep], updates: [DeploymentPlan.MonitorStep],
            creates: [DeploymentPlan.MonitorStep]) {
        let diff = MonitorDiff(wanted: wanted, deployed: present)
        let unchanged = diff.unchanged.map { pair in
            DeploymentPlan.KeptMonitor(scope: scope, monitorID: pair.deployed.monitorId, label: pair.deployed.monitor.label,
                                       rules: pair.wanted.rules)
        }
        let updates = diff.updates.map { pair in
            DeploymentPlan.MonitorStep(action: .update, scope: scope, monitorID: pair.deployed.monitorId,
                                       deployedLabel: pair.deployed.monitor.label, body: pair.wanted.monitor,
                                       rules: pair.wanted.rules)
        }
        let creates = diff.creates.map { monitor in
            DeploymentPlan.MonitorStep(action: .create, scope: scope, body: monitor.monitor, rules: monitor.rules)
        }
        return (unchanged, diff.deletes.map(deleteStep(scope)), updates, creates)
    }

    private static func deleteStep(_ scope: DeploymentPlan.Scope) -> (MonitorState) -> DeploymentPlan.MonitorStep {
        { state in
            DeploymentPlan.MonitorStep(action: .delete, scope: scope, monitorID: state.monitorId,
                                       deployedLabel: state.monitor.label, rules: rules(inLabel: state.monitor.label))
        }
    }

    /// Whether Vigie wrote this label (`vigie:<rules>:<hash>`).
    static func isVigie(_ label: String) -> Bool { MonitorDiff.isVigie(label) }

    /// A Vigie label without its hash: which rules the monitor serves.
    static func identity(_ label: String) -> String { MonitorDiff.identity(label) }

    /// The `bundle/rule` keys a Vigie label names (a `+N` tail is dropped).
    static func rules(inLabel label: String) -> [String] { MonitorDiff.rules(inLabel: label) }
}
