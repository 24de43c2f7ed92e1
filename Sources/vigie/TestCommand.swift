import ArgumentParser
import Foundation
import VigieKit

/// `vigie test FILE…`: rule unit tests (docs/testing.md).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule unit tests (YAML timelines and expected decisions).",
        discussion: "Closes with `N passed, M failed`. Exit status: 0 all pass, 1 any failure, 64 usage error."
    )

    @Argument(help: "Test files.") var files: [String] = []
    @Option(help: "Also write the results as JUnit XML to this file.") var junit: String?
    @Flag(help: "List the rules under test that no test made fire.") var coverage = false

    func run() throws {
        let output = RuleTestReport.run(RuleTestRunner.Options(paths: files, junitPath: junit, coverage: coverage))
        try output.emit()
    }
}
