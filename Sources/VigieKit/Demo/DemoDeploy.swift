import Foundation
import Logging
import RuleLanguage
import VigieRuntime

/// Applies the rules to the simulator the way `vigie apply` does (H1's `Planner` and
/// `Applier`), and says what it did.
enum DemoDeploy {
    struct Result: Sendable {
        var callbackID: String
        var summary: String
    }

    static func apply(config: VigieConfig, client: VigieAPIClient, bundles: [CheckedBundle]) async throws -> Result {
        let plan = try await Planner(config: config, client: client).plan(bundles: bundles)
        let report = try await Applier(client: client).apply(plan)
        // What the console's Deployments page shows.
        try await DeploymentRecord.save(DeploymentRecord.monitors(plan, report), config: config)
        let monitors = plan.monitors.filter { $0.action == .create }.count
        let summary = "callback \(report.callbackID) and \(monitors) monitors created"
        return Result(callbackID: report.callbackID, summary: summary)
    }
}

/// A demo step that failed, in words.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
