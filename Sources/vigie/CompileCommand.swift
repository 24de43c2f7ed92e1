import ArgumentParser
import Foundation
import VigieKit

/// `vigie compile PATH…`: maps flags to `CompileCommandOptions` and prints what
/// `Compile.run` returns (docs/compiling.md).
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile rules into Stellantis monitors and say where each rule runs.",
        discussion: """
            Prints the monitor definitions exactly as they would be POSTed (--format json, \
            sorted keys) or, per rule, whether the server watches it exactly, as a prefilter, \
            or whether it is polled, with a cost summary (--format text). Without --inventory \
            or --vin, `vin: null` stands for every vehicle the bundles select. Exit status: \
            0 ok, 1 rule errors (rendered like validate) or a bad inventory, 64 usage error.
            """
    )

    enum API: String, ExpressibleByArgument, CaseIterable { case b2c, b2b }
    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Argument(help: "Rule files or folders.")
    var paths: [String] = []

    @Option(help: "b2c: monitors per vehicle; b2b: monitors per fleet.")
    var api: API = .b2c

    @Option(help: "Inventory file (vehicles with tags) for `vehicles:` selectors.")
    var inventory: String?

    @Option(name: .customLong("vin"), help: "Compile for this vehicle (repeatable).")
    var vins: [String] = []

    @Option(help: "Fleet id reported with the monitors.")
    var fleet: String?

    @Option(help: "B2B only: webhook target of the fleet monitors' callback.")
    var callbackURL: String = CompileCommandOptions.defaultCallbackURL

    @Option(help: "json (monitor definitions) or text (where each rule runs, cost summary).")
    var format: Format = .json

    func run() throws {
        let options = CompileCommandOptions(
            paths: paths, api: api == .b2c ? .b2c : .b2b, inventoryPath: inventory, vins: vins, fleet: fleet,
            callbackURL: callbackURL, format: format == .json ? .json : .text)
        let output = Compile.run(options)
        try output.emit()
    }
}
