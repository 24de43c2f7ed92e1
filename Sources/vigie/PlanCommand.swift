import ArgumentParser
import Foundation
import VigieKit

/// `vigie plan --config FILE`: maps flags to `DeployOptions` and runs `Deploy.plan`
/// (docs/deploying.md).
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `vigie apply` would create, update or delete.",
        discussion: """
            Checks and compiles the rules of the configuration for its vehicles, lists the \
            callback and the monitors deployed, and shows the difference Terraform-style \
            (+ create, ~ update, - delete). Only monitors whose label starts with `vigie:` \
            are ever changed. Exit status: 0 ok, 1 error, 64 usage error; with \
            --detailed-exitcode 0 no changes, 2 changes, 1 error.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The configuration file (vigie.yaml).")
    var config: String

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on error.")
    var detailedExitcode = false

    @Option(help: "text (Terraform-style) or json (sorted keys).")
    var format: Format = .text

    func run() async throws {
        let options = DeployOptions(configPath: config, format: format == .json ? .json : .text,
                                    detailedExitCode: detailedExitcode)
        let code = await Deploy.plan(options)
        if code != 0 { throw ExitCode(code) }
    }
}
