import ArgumentParser
import Foundation
import VigieKit

/// `vigie apply --config FILE`: maps flags to `DeployOptions` and runs `Deploy.apply`
/// (docs/deploying.md).
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create the callback and reconcile the deployed monitors with the rules.",
        discussion: """
            Shows the plan, asks for `yes` on a terminal (without a terminal, pass \
            --auto-approve), then creates the callback if needed and creates, updates and \
            deletes monitors, stopping at the first error. A second apply changes nothing. \
            Exit status: 0 ok, 1 error or declined, 64 usage error.
            """
    )

    @Option(help: "The configuration file (vigie.yaml).")
    var config: String

    @Flag(help: "Apply without asking for confirmation.")
    var autoApprove = false

    func run() async throws {
        let code = await Deploy.apply(DeployOptions(configPath: config, autoApprove: autoApprove))
        if code != 0 { throw ExitCode(code) }
    }
}
