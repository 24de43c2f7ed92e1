import ArgumentParser
import Foundation
import VigieKit

/// `vigie resume`: maps flags to `ControlOptions` and prints what `ControlPanel.resume` returns.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Lift pauses and loop stops made by `vigie pause` or the guardrails.",
        discussion: """
            Lifts every pause and every loop stop whose own scope matches all the options \
            given: `--vin V` lifts the pauses and loop stops of V (not a pause of all \
            vehicles), `--bundle B` those of bundle B, `--rule B/R` the loop stops of rule R \
            of bundle B (with --vin: on that vehicle only); no option lifts everything. \
            Queued commands that waited behind a pause for longer than the stale age are \
            dropped, never sent. The configuration's `safety.paused` is lifted only by \
            editing it. Exit status: 0 ok, 1 when nothing matched or the database cannot be \
            read, 64 on a usage error. See docs/safety.md.
            """
    )

    @Option(help: "The SQLite database of the vigie serve to resume.")
    var db: String?

    @Option(help: "The vigie.yaml of the vigie serve to resume (its database is used).")
    var config: String?

    @Option(help: "Only the holds of this vehicle.")
    var vin: String?

    @Option(help: "Only the holds of this bundle.")
    var bundle: String?

    @Option(help: "Only the loop stops of this rule, as bundle/rule.")
    var rule: String?

    func run() async throws {
        let options = ControlOptions(databasePath: db, configPath: config, vin: vin, bundle: bundle, rule: rule)
        let output = await ControlPanel.resume(options)
        try output.emit()
    }
}
