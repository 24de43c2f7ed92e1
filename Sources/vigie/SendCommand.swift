import ArgumentParser
import Foundation
import VigieKit

/// `vigie send`: maps flags to `SendOptions` and prints what `ManualSend.run` returns.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a remote command by hand: any action of the rule language.",
        discussion: """
            Queues ACTION for VIN in the database of `vigie serve` (given by --db, or by the \
            configuration's `database:` or `store:` with --config); the running serve sends it like a \
            rule's command: same outbox, pauses, budgets, one command at a time per vehicle, \
            reconciliation and outcome log. It is recorded as a `manual` decision with the OS \
            user who asked (`vigie log --bundle manual`). ACTION is written as in a rule's \
            `then:` (`charge: start`, `charge:start`, `charge: {at: "23:30"}`, `doors: lock`, \
            `navigate: {to: {lat: 48.86, lon: 2.33}}`); `doors: unlock` also needs \
            --allow-unlock. Exit status: 0 queued, 1 unknown vehicle or unreadable database or \
            configuration, 64 on a usage error (including a malformed action). See docs/console.md.
            """
    )

    @Argument(help: "The vehicle's VIN.")
    var vin: String

    @Argument(help: "The action, as in a rule's then: (quote it: 'charge: start').")
    var action: String

    @Option(help: "The SQLite database of the vigie serve that sends it.")
    var db: String?

    @Option(help: "The vigie.yaml of the vigie serve that sends it (its database is used).")
    var config: String?

    @Flag(help: "Opt in to `doors: unlock` (it opens the car to others).")
    var allowUnlock = false

    @Option(help: "The IANA time zone of `charge: {at: \"HH:MM\"}`.")
    var timezone = "UTC"

    func run() async throws {
        let options = SendOptions(databasePath: db, configPath: config, vin: vin, action: action,
                                  allowUnlock: allowUnlock, timeZone: timezone)
        let output = await ManualSend.run(options)
        try output.emit()
    }
}
