import ArgumentParser
import Foundation
import VigieKit

/// `vigie explain --vin V --rule R [--at T]`: maps flags to `ExplainOptions` and prints
/// what `Explain.run` returns.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Why a rule did (or didn't) fire for a vehicle at an instant, rebuilt from the outcome database.",
        discussion: """
            Restores `vigie serve`'s engine checkpoint when it is at or before --at, else \
            starts from the first stored notification, replays the stored notifications up \
            to --at through the engine and prints the rule's last evaluation for the \
            vehicle, sub-condition by sub-condition (as `vigie dry-run --explain`), and the \
            last decision recorded for them. --at takes an RFC 3339 instant, a UTC date \
            (2026-03-02) or a duration back from now (30m, 2h); default now. Exit status: \
            0 ok, 1 error (database, configuration, rules, unknown vehicle or rule), 64 on \
            a usage error. See docs/explain.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Rule files or folders (instead of --config).")
    var paths: [String] = []

    @Option(help: "The SQLite outcome database (default: the configuration's store: `database` or PostgreSQL `store`).")
    var db: String?

    @Option(help: "The vehicle.")
    var vin: String

    @Option(help: "The rule: RULE or BUNDLE/RULE.")
    var rule: String

    @Option(help: "The instant (default: now).")
    var at: String?

    @Option(help: "The configuration serve ran with (its rules, inventory, database and reorder window).")
    var config: String?

    @Option(help: "With rule files: the vehicles and their tags (YAML or JSON).")
    var inventory: String?

    @Option(help: "With rule files: the reorder window serve ran with, in seconds (default 0).")
    var reorderWindow: Double?

    @Option(help: "Output format: text (the dry-run --explain block) or json (one object).")
    var format: Format = .text

    func run() async throws {
        let options = ExplainOptions(databasePath: db, vin: vin, rule: rule, at: at, configPath: config, paths: paths,
                                     inventoryPath: inventory, reorderWindow: reorderWindow,
                                     format: format == .json ? .json : .text)
        let output = await Explain.run(options)
        try output.emit()
    }
}
