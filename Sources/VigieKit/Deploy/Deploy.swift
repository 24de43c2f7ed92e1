import Foundation
import Logging
import OutcomeStore
import VigieRuntime

/// The options of `vigie plan` and `vigie apply`.
package struct DeployOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }
    package var configPath: String
    package var format: Format
    /// plan: exit 0 without changes, 2 with changes (1 on error either way).
    package var detailedExitCode: Bool
    /// apply: no confirmation asked.
    package var autoApprove: Bool
    package var environment: [String: String]

    package init(configPath: String, format: Format = .text, detailedExitCode: Bool = false, autoApprove: Bool = false,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.configPath = configPath
        self.format = format
        self.detailedExitCode = detailedExitCode
        self.autoApprove = autoApprove
        self.environment = environment
    }
}

/// `vigie plan` and `vigie apply` (docs/deploying.md). Exit codes: 0 ok (plan: no
/// changes with `--detailed-exitcode`), 2 changes (plan with `--detailed-exitcode`),
/// 1 an error (configuration, rules, API, a failed step, a declined confirmation),
/// 64 a usage error (no such configuration file; apply without a terminal nor `--auto-approve`).
package enum Deploy {
    package static let usageExit: Int32 = 64

    package static func plan(_ options: DeployOptions, console: DeployConsole = .standard) async -> Int32 {
        guard let (config, client) = open(options, console) else { return failedOpenExit(options) }
        let code = await plan(options, config, client, console)
        try? await client.shutdown()
        return code
    }

    private static func plan(_ options: DeployOptions, _ config: VigieConfig, _ client: VigieAPIClient,
                             _ console: DeployConsole) async -> Int32 {
        guard let plan = await makePlan(config, client, console) else { return 1 }
        let secret = config.callback.webhookSecret.reveal()
        console.out(options.format == .json ? PlanRenderer.json(plan, secret: secret) : PlanRenderer.text(plan, secret: secret))
        return options.detailedExitCode && plan.hasChanges ? 2 : 0
    }

    package static func apply(_ options: DeployOptions, console: DeployConsole = .standard) async -> Int32 {
        guard let (config, client) = open(options, console) else { return failedOpenExit(options) }
        let code = await apply(options, config, client, console)
        try? await client.shutdown()
        return code
    }

    private static func apply(_ options: DeployOptions, _ config: VigieConfig, _ client: VigieAPIClient,
                              _ console: DeployConsole) async -> Int32 {
        guard let plan = await makePlan(config, client, console) else { return 1 }
        console.out(PlanRenderer.text(plan, secret: config.callback.webhookSecret.reveal()))
        guard plan.hasChanges else {
            await record(DeploymentRecord.monitors(plan, ApplyReport(callbackID: plan.callback.id ?? "", done: [])), config, console)
            return 0
        }
        if !options.autoApprove {
            guard console.isTerminal else {
                console.err("error: apply changes the deployment: confirm on a terminal, or pass --auto-approve\n")
                return usageExit
            }
            console.out("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
            guard console.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                console.err("Apply cancelled.\n")
                return 1
            }
        }
        console.out("\n")
        let bar = ApplyProgressDisplay(console: console)
        do {
            let report = try await Applier(client: client).apply(plan) { bar.show($0) }
            bar.finish()
            console.out("Apply complete: \(plan.count(.create)) created, \(plan.count(.update)) updated, "
                + "\(plan.count(.delete)) deleted (callback id \(report.callbackID)).\n")
            await record(DeploymentRecord.monitors(plan, report), config, console)
            return 0
        } catch {
            bar.finish()
            console.err("\(error)\n")
            return 1
        }
    }

    /// Records what is deployed for the console (docs/console.md "Deployments"); the API is
    /// already as planned, so a store that cannot be written is a warning, not a failure.
    private static func record(_ monitors: [DeployedMonitorRecord], _ config: VigieConfig, _ console: DeployConsole) async {
        do {
            try await DeploymentRecord.save(monitors, config: config)
        } catch {
            console.err("warning: the deployment is applied but could not be recorded for the console: \(error)\n")
        }
    }

    /// The configuration and its client; nil after printing why not.
    private static func open(_ options: DeployOptions, _ console: DeployConsole) -> (VigieConfig, VigieAPIClient)? {
        guard FileManager.default.fileExists(atPath: options.configPath) else {
            console.err("error: no such configuration file: \(options.configPath)\n")
            return nil
        }
        do {
            let config = try VigieConfig.load(path: options.configPath, environment: options.environment)
            var logger = Logger(label: "vigie.deploy")
            logger.logLevel = .warning  // failures are reported once, by the plan or the apply
            return (config, try config.makeAPIClient(logger: logger))
        } catch let error as ConfigError {
            console.err(error.issues.map { issue in
                issue.line > 0 ? "\(issue.file):\(issue.line):\(issue.column): error: \(issue.message)\n"
                    : "\(issue.file): error: \(issue.message)\n"
            }.joined())
        } catch {
            console.err("error: \(error)\n")
        }
        return nil
    }

    private static func failedOpenExit(_ options: DeployOptions) -> Int32 {
        FileManager.default.fileExists(atPath: options.configPath) ? 1 : usageExit
    }

    private static func makePlan(_ config: VigieConfig, _ client: VigieAPIClient, _ console: DeployConsole) async -> DeploymentPlan? {
        do {
            let plan = try await Planner(config: config, client: client).plan()
            for warning in plan.warnings {
                console.err(warning.hasPrefix("warning") || warning.contains(": warning") ? warning + "\n" : "warning: \(warning)\n")
            }
            return plan
        } catch {
            console.err("error: \(error)\n")
            return nil
        }
    }
}
