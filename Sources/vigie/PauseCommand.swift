import ArgumentParser
import Foundation
import VigieKit

/// `vigie pause`: maps flags to `ControlOptions` and prints what `ControlPanel.pause` returns.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop sending commands: to every vehicle, one vehicle or one bundle (the kill switch).",
        discussion: """
            Writes a pause to the database of `vigie serve` (given by --db, or by the \
            configuration's `database:` or `store:` with --config); a running serve stops dispatching \
            within a second, queued commands included, and firings become suppressions with \
            reason `paused`. Without --vin or --bundle everything is paused. --list shows the \
            pauses, the rules stopped in a loop and the rules held for flapping. Lift a pause \
            with `vigie resume`. Exit status: 0 ok, 1 when the database or configuration cannot \
            be read, 64 on a usage error. See docs/safety.md.
            """
    )

    @Option(help: "The SQLite database of the vigie serve to pause.")
    var db: String?

    @Option(help: "The vigie.yaml of the vigie serve to pause (its database is used).")
    var config: String?

    @Option(help: "Only this vehicle.")
    var vin: String?

    @Option(help: "Only this bundle.")
    var bundle: String?

    @Option(help: "Why (kept with the pause, shown by --list).")
    var reason: String?

    @Flag(help: "List what is held instead of pausing (filtered by --vin / --bundle).")
    var list = false

    @Option(help: "Output format of --list: text or json (JSON Lines, one hold a line).")
    var format: ControlFormat = .text

    func run() async throws {
        let options = ControlOptions(databasePath: db, configPath: config, vin: vin, bundle: bundle,
                                     reason: reason, list: list, format: format.value)
        let output = await ControlPanel.pause(options)
        try output.emit()
    }
}

/// `--format text|json` of `vigie pause --list`.
enum ControlFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    var value: ControlOptions.Format { self == .json ? .json : .text }
}
