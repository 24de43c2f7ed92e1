import Foundation
import StellantisModels

/// What `vigie apply` would do: the callback to create or update, and the monitors to
/// create, update or delete per vehicle (B2C) or fleet (B2B). Built by `Planner`,
/// carried out by `Applier`, rendered by `PlanRenderer`.
package struct DeploymentPlan: Sendable {
    /// Where a monitor lives.
    package enum Scope: Sendable, Hashable {
        /// B2C: one vehicle (its VIN and the API's vehicle id).
        case vehicle(vin: String, id: String)
        /// B2B: one fleet.
        case fleet(String)
    }

    package enum Action: String, Sendable, Hashable, Codable {
        case create, update, delete
    }

    /// The callback notifications go to.
    package struct CallbackStep: Sendable {
        /// nil: the deployed callback is current.
        package var action: Action?
        /// The deployed callback's id (nil when it is to be created).
        package var id: String?
        package var label: String
        /// The body to POST (create) or PUT (update).
        package var body: CallbackSubscribe
        package init(action: Action?, id: String?, label: String, body: CallbackSubscribe) {
            self.action = action
            self.id = id
            self.label = label
            self.body = body
        }
    }

    /// One monitor to create, update or delete.
    package struct MonitorStep: Sendable {
        package var action: Action
        package var scope: Scope
        /// The deployed monitor (update, delete).
        package var monitorID: String?
        /// The label deployed now (update, delete).
        package var deployedLabel: String?
        /// The body to deploy (create, update).
        package var body: MonitorParameter?
        /// `bundle/rule` keys the monitor serves (from the compiler, or read from the deployed label).
        package var rules: [String]
        package init(action: Action, scope: Scope, monitorID: String? = nil, deployedLabel: String? = nil,
                    body: MonitorParameter? = nil, rules: [String]) {
            self.action = action
            self.scope = scope
            self.monitorID = monitorID
            self.deployedLabel = deployedLabel
            self.body = body
            self.rules = rules
        }

        /// The label this step leaves deployed (create, update) or removes (delete).
        package var label: String { body?.label ?? deployedLabel ?? "" }
    }

    /// A Vigie monitor already current, left as it is (recorded with the deployment).
    package struct KeptMonitor: Sendable {
        package var scope: Scope
        package var monitorID: String
        package var label: String
        /// `bundle/rule` keys it serves (from the compiler).
        package var rules: [String]
        package init(scope: Scope, monitorID: String, label: String, rules: [String]) {
            self.scope = scope
            self.monitorID = monitorID
            self.label = label
            self.rules = rules
        }
    }

    package var callback: CallbackStep
    /// Deletes first (they free the per-vehicle slots), then updates, then creates;
    /// within each, by scope then label.
    package var monitors: [MonitorStep]
    /// Vigie monitors already current.
    package var unchanged: Int
    /// Those monitors (empty in plans built without them).
    package var kept: [KeptMonitor] = []
    /// Monitors Vigie does not own, seen and left alone.
    package var foreign: Int
    /// Things worth knowing that do not stop the plan (shown on stderr).
    package var warnings: [String]

    package init(callback: CallbackStep, monitors: [MonitorStep], unchanged: Int = 0, foreign: Int = 0, warnings: [String] = []) {
        self.callback = callback
        self.monitors = monitors
        self.unchanged = unchanged
        self.foreign = foreign
        self.warnings = warnings
    }

    package func count(_ action: Action) -> Int {
        monitors.filter { $0.action == action }.count + (callback.action == action ? 1 : 0)
    }

    package var hasChanges: Bool { callback.action != nil || !monitors.isEmpty }
}

extension DeploymentPlan.Scope: CustomStringConvertible {
    package var description: String {
        switch self {
        case .vehicle(let vin, _): return "vehicle \(vin)"
        case .fleet(let id): return "fleet \(id)"
        }
    }
}
