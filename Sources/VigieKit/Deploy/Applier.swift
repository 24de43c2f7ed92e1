import Foundation
import StellantisAPI
import StellantisModels
import VigieRuntime

/// Carries out a `DeploymentPlan`: the callback first (its id is where B2C monitors
/// live), then the monitor steps in the plan's order (deletes, updates, creates). Stops
/// at the first failure, with what was done so far (`ApplyFailure`). Rate limits and
/// `Retry-After` are the client's business (it waits and retries).
package struct Applier: Sendable {
    /// One step about to run (`finished == false`) or done (`true`), for progress display.
    package struct Progress: Sendable {
        package var index: Int
        package var total: Int
        package var description: String
        package var finished: Bool
    }

    package let client: VigieAPIClient

    package init(client: VigieAPIClient) { self.client = client }

    /// Applies `plan`; returns what was done (one line per step) and the callback's id.
    @discardableResult
    package func apply(_ plan: DeploymentPlan,
                      progress: @Sendable (Progress) -> Void = { _ in }) async throws -> ApplyReport {
        var report = ApplyReport(callbackID: plan.callback.id ?? "", done: [])
        report.monitorIDs.reserveCapacity(plan.monitors.count)
        let total = plan.monitors.count + (plan.callback.action == nil ? 0 : 1)
        var index = 0
        func run(_ description: String, _ body: () async throws -> String) async throws {
            progress(Progress(index: index, total: total, description: description, finished: false))
            do {
                report.done.append(try await body())
            } catch {
                throw ApplyFailure(done: report.done, failed: description, error: String(describing: error))
            }
            index += 1
            progress(Progress(index: index, total: total, description: description, finished: true))
        }
        if let action = plan.callback.action {
            try await run("\(action == .create ? "creating" : "updating") callback \(plan.callback.label)") {
                report.callbackID = try await applyCallback(plan.callback, action: action)
                return "\(action == .create ? "created" : "updated") callback \(plan.callback.label) (id \(report.callbackID))"
            }
        }
        for step in plan.monitors {
            try await run("\(Self.verb(step.action, past: false)) monitor \(step.label) on \(step.scope)") {
                let id = try await applyMonitor(step, callbackID: report.callbackID)
                report.monitorIDs.append(id)
                return "\(Self.verb(step.action, past: true)) monitor \(step.label) on \(step.scope) (id \(id))"
            }
        }
        return report
    }

    private func applyCallback(_ step: DeploymentPlan.CallbackStep, action: DeploymentPlan.Action) async throws -> String {
        switch (client, action) {
        case (.b2c(let c), .create): return try await c.createCallback(step.body).callbackId
        case (.fleet(let c), .create): return try await c.createCallback(step.body).callbackId
        case (.b2c(let c), _): return try await c.updateCallback(step.id ?? "", step.body).callbackId
        case (.fleet(let c), _): return try await c.updateCallback(step.id ?? "", step.body).callbackId
        }
    }

    /// Runs one monitor step; returns the monitor's id.
    private func applyMonitor(_ step: DeploymentPlan.MonitorStep, callbackID: String) async throws -> String {
        let id = step.monitorID ?? ""
        switch (client, step.scope) {
        case (.b2c(let c), .vehicle(_, let vehicle)):
            switch step.action {
            case .create: return try await c.createMonitor(vehicle: vehicle, callback: callbackID, try body(step)).monitorId
            case .update: return try await c.updateMonitor(vehicle: vehicle, callback: callbackID, id: id, try body(step)).monitorId
            case .delete:
                try await c.deleteMonitor(vehicle: vehicle, callback: callbackID, id: id)
                return id
            }
        case (.fleet(let c), .fleet):
            switch step.action {
            case .create: return try await c.createMonitor(try body(step)).monitorId
            case .update: return try await c.updateMonitor(id, try body(step)).monitorId
            case .delete:
                try await c.deleteMonitor(id)
                return id
            }
        default:
            throw DeployError.input("a \(step.scope) step does not fit this API kind")
        }
    }

    private func body(_ step: DeploymentPlan.MonitorStep) throws -> MonitorParameter {
        guard let body = step.body else { throw DeployError.input("no monitor body for \(step.action.rawValue)") }
        return body
    }

    static func verb(_ action: DeploymentPlan.Action, past: Bool) -> String {
        switch action {
        case .create: return past ? "created" : "creating"
        case .update: return past ? "updated" : "updating"
        case .delete: return past ? "deleted" : "deleting"
        }
    }
}

/// What an apply did.
package struct ApplyReport: Sendable {
    /// The callback's id (created, updated or already there).
    package var callbackID: String
    /// One line per step done, in order.
    package var done: [String]
    /// The monitor id of each monitor step, in the plan's order.
    package var monitorIDs: [String] = []
}

/// An apply stopped at a failed step; `done` lists what was done before it.
package struct ApplyFailure: Error, Sendable, CustomStringConvertible {
    package var done: [String]
    package var failed: String
    package var error: String

    package var description: String {
        var text = "error: \(failed) failed: \(error)\n"
        text += done.isEmpty ? "Nothing was changed before the failure.\n"
            : "Done before the failure (\(done.count) step\(done.count == 1 ? "" : "s")):\n" + done.map { "  \($0)\n" }.joined()
        return text + "Run `vigie plan` to see what remains."
    }
}
