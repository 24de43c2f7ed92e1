import ArgumentParser
import Foundation
import VigieKit

/// `vigie demo`: the simulator and the live runtime in one process, the bundles of
/// Rules/ applied to simulated vehicles, a simulated day in accelerated time
/// (docs/demo.md). Maps flags to `DemoOptions` and runs `Demo`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the rules of Rules/ on simulated vehicles through a simulated day.",
        discussion: """
            Starts the simulator and the live runtime (receiver, engine, dispatcher) on loopback \
            ports, applies the bundles to the simulated vehicles, runs a simulated day at high \
            speed, prints a live timeline and a summary table, and leaves the outcome log in the \
            database (inspect it with `vigie log --db`). Exit status: 0 done, 1 failure, 64 usage.
            """
    )

    @Option(help: "The SQLite log to write (replaced if it exists).") var db = "./vigie-demo.sqlite"
    @Option(help: "Number of simulated vehicles.") var vehicles = 5
    @Option(help: "Random seed: the same seed gives the same vehicles and physics.") var seed: UInt64 = 1
    @Option(help: "Simulated seconds per real second.") var speed: Double = 2880
    @Option(help: "Simulated hours to run.") var hours: Double = 24
    @Option(help: "Rule files or folders.") var rules: [String] = ["Rules"]
    @Flag(help: "Print only the summary, not the live timeline.") var quiet = false

    func run() async throws {
        var o = DemoOptions()
        o.databasePath = db
        o.vehicles = vehicles
        o.seed = seed
        o.speed = speed
        o.duration = hours * 3600
        o.rules = rules
        o.timeline = !quiet
        let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let code = await Demo.run(o, in: directory, print: { line in
            print(line)
            fflush(nil)
        }, printError: { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        })
        if code != 0 { throw ExitCode(code) }
    }
}
