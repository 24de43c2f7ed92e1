import ArgumentParser
import Foundation
import VigieKit

/// `vigie dry-run PATH… --events FILE`: maps flags to `DryRunOptions` and runs
/// `ReplayDryRun.run`, which writes to stdout and stderr as the replay goes.
struct DryRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Replay events against rule files and print the decisions (calls no API).",
        discussion: """
            FILE is JSON Lines: {"at": RFC3339, "vin": V, "status"|"set"|"message": …}, `at` \
            non-decreasing. Exit status: 0 ok, 1 rule errors or a broken events/inventory \
            file (with its line number), 64 on a usage error. See docs/dry-run.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Rule files or folders.")
    var paths: [String] = []

    @Option(help: "The events to replay (JSON Lines).")
    var events: String

    @Option(help: "Output format: text (a readable timeline) or json (JSON Lines, one decision a line).")
    var format: Format = .text

    @Option(help: "Print each evaluation of this rule (RULE or BUNDLE/RULE), sub-condition by sub-condition.")
    var explain: [String] = []

    @Option(help: "Vehicles and their tags, for `vehicles: [{tag: …}]` selectors (YAML or JSON).")
    var inventory: String?

    @Option(help: "Run timers up to this RFC 3339 instant (not before the last event).")
    var until: String?

    @Option(help: "Record decisions and engine state in this SQLite outcome log; a later run resumes from it.")
    var db: String?

    func run() throws {
        let options = DryRunOptions(paths: paths, eventsPath: events, format: format == .json ? .json : .text,
                                    explain: explain, inventoryPath: inventory, until: until, dbPath: db)
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let result = ReplayDryRun.run(options, in: directory, output: ReplayOutput(fileDescriptor: 1),
                                      errors: ReplayOutput(fileDescriptor: 2))
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
