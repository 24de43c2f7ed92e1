import ArgumentParser
import Foundation
import VigieKit

/// `vigie validate PATH…`: maps flags to `ValidateOptions` and prints what
/// `Validate.run` returns.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load and check rule files; report problems with their position.",
        discussion: """
            PATH is a rule file or a folder, searched recursively for *.yaml and *.yml \
            files (hidden entries skipped). Exit status: 0 when no error is found \
            (warnings allowed unless --strict), 1 on errors or an unreadable file, \
            64 on a usage error (unknown option, no PATH, a PATH that does not exist).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif, github
    }

    @Argument(help: "Rule files or folders.")
    var paths: [String] = []

    @Option(help: "Output format: text (like a compiler), json, sarif (SARIF 2.1.0) or github (workflow commands).")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Option(help: "Show at most this many diagnostics (0: all); the rest are counted.")
    var maxDiagnostics = 100

    @Option(help: "Also check the notification channels the rules name against this configuration (vigie.yaml).")
    var config: String?

    func run() throws {
        guard let format = ValidateFormat(rawValue: format.rawValue) else { throw ExitCode(64) }
        let output = Validate.run(ValidateOptions(paths: paths, format: format, strict: strict,
                                                  maxDiagnostics: maxDiagnostics, configPath: config))
        try output.emit()
    }
}
