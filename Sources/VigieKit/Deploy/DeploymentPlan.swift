import Foundation
import StellantisModels

/// What `vigie apply` would do: the callback to create or update, and the monitors to
/// create, update or delete per vehicle (B2C) or fleet (B2B). Built by `Planner`,
/// carried out by `Applier`, rendered by `PlanRenderer`.
public struct DeploymentPlan: Sendable {
    /// Where a monitor lives.
    public enum Scope: Sendable, Hashable {
        /// B2C: one vehicle (its VIN and the API's vehicle id).
        case vehicle(vin: String, id: String)
        /// B2B: one fleet.
        case fleet(String)
    }

    public enum Action: String, Sendable, Hashable, Codable {
        case create, update, delete
    }

    /// The callback notifications go to.
    public struct CallbackStep: Sendable {
        /// nil: the deployed callback is current.
        public var action: Action?
        /// The deployed callback's id (nil when it is to be created).
        public var id: String?
        public var label: String
        /// The body to POST (create) or PUT (update).
        public var body: CallbackSubscribe
        public init(action: Action?, id: String?, label: String, body: CallbackSubscribe) {
            self.action = action
            self.id = id
            self.label = label
            self.body = body
        }
    }

    /// One monitor to create, update or delete.
    public struct MonitorStep: Sendable {
        public var action: Action
        public var scope: Scope
        /// The deployed monitor (update, delete).
        public var monitorID: String?
        /// The label deployed now (update, delete).
        public var deployedLabel: String?
        /// The body to deploy (create, update).
        public var body: MonitorParameter?
        /// `bundle/rule` keys the monitor serves (from the compiler, or read from the deployed label).
        public var rules: [String]
        public init(action: Action, scope: Scope, monitorID: String? = nil, deployedLabel: String? = nil,
                    body: MonitorParameter? = nil, rules: [String]) {
            self.action = action
            self.scope = scope
            self.monitorID = monitorID
            self.deployedLabel = deployedLabel
            self.body = body
            self.rules = rules
        }

        /// The label this step leaves deployed (create, update) or removes (delete).
        public var label: String { body?.label ?? deployedLabel ?? "" }
    }

    /// A Vigie monitor already current, left as it is (recorded with the deployment).
    public struct KeptMonitor: Sendable {
        public var scope: Scope
        public var monitorID: String
        public var label: String
        /// `bundle/rule` keys it serves (from the compiler).
        public var rules: [String]
        public init(scope: Scope, monitorID: String, label: String, rules: [String]) {
            self.scope = scope
            self.monitorID = monitorID
            self.label = label
            self.rules = rules
        }
    }

    public var callback: CallbackStep
    /// Deletes first (they free the per-vehicle slots), then updates, then creates;
    /// within each, by scope then label.
    public var monitors: [MonitorStep]
    /// Vigie monitors already current.
    public var unchanged: Int
    /// Those monitors (empty in plans built without them).
    public var kept: [KeptMonitor] = []
    /// Monitors Vigie does not own, seen and left alone.
    public var foreign: Int
    /// Things worth knowing that do not stop the plan (shown on stderr).
    public var warnings: [String]

    public init(callback: CallbackStep, monitors: [MonitorStep], unchanged: Int = 0, foreign: Int = 0, warnings: [String] = []) {
        self.callback = callback
        self.monitors = monitors
        self.unchanged = unchanged
        self.foreign = foreign
        self.warnings = warnings
    }

    public func count(_ action: Action) -> Int {
        monitors.filter { $0.action == action }.count + (callback.action == action ? 1 : 0)
    }

    public var hasChanges: Bool { callback.action != nil || !monitors.isEmpty }
}

extension DeploymentPlan.Scope: CustomStringConvertible {
    public var description: String {
        switch self {
        case .vehicle(let vin, _): return "vehicle \(vin)"
        case .fleet(let id): return "fleet \(id)"
        }
    }
}
