import ArgumentParser
import Foundation
import VigieKit

/// `vigie log --db FILE` or `--config FILE`: maps flags to `LogOptions` and prints what `LogReport.run` returns.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the recorded decisions and the outcomes of their actions.",
        discussion: """
            --db FILE is the SQLite database written by `vigie serve`, `vigie dry-run --db` or \
            `vigie demo`; --config FILE reads the store of that configuration (its `database:`, \
            or its PostgreSQL `store:`). --since and --until take an RFC 3339 instant, a UTC date \
            (2026-03-02) or a duration back from now (30m, 2h, 7d). Exit status: 0 ok, \
            1 when the database is missing or unreadable, 64 on a usage error. \
            See docs/outcome-log.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "The SQLite database to read.")
    var db: String?

    @Option(help: "The vigie.yaml whose store to read (its `database:` or `store:`).")
    var config: String?

    @Option(help: "Only this vehicle.")
    var vin: String?

    @Option(help: "Only this rule (its id).")
    var rule: String?

    @Option(help: "Only this bundle.")
    var bundle: String?

    @Option(help: "Only decisions at or after this instant.")
    var since: String?

    @Option(help: "Only decisions before this instant.")
    var until: String?

    @Option(help: "Only the most recent N decisions.")
    var limit: Int?

    @Option(help: "Output format: text (a readable timeline) or json (JSON Lines, one decision a line).")
    var format: Format = .text

    func run() async throws {
        let options = LogOptions(databasePath: db, configPath: config, vin: vin, rule: rule, bundle: bundle, since: since, until: until,
                                 limit: limit, format: format == .json ? .json : .text)
        let output = await LogReport.run(options)
        try output.emit()
    }
}
