import ArgumentParser
import Foundation
import VigieBench
import VigieKit

/// `vigie bench validate`: validation speed against bare YAML parsing.
struct BenchValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate a generated deployment and compare with libyaml alone (use a release build)."
    )

    @Option(help: "Rules in the generated deployment.")
    var rules = 10_000

    @Option(help: "Files (one bundle each) the rules are spread over.")
    var files = 10

    @Option(help: "Runs; the best is reported.")
    var iterations = 5

    func validate() throws {
        guard rules > 0, files > 0, iterations > 0 else {
            throw ValidationError("--rules, --files and --iterations must be positive")
        }
    }

    func run() throws {
        let figures = try ValidateBenchmark(rules: rules, files: files, iterations: iterations).run()
        FileHandle.standardOutput.write(Data(figures.text.utf8))
    }
}
