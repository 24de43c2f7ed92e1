import Console
import Foundation
import OutcomeStore
import RuleLanguage

/// `vigie demo`: the simulator and the live runtime in one process on loopback ports,
/// the bundles of `Rules/` applied to simulated vehicles, a simulated day in accelerated
/// time, a live timeline and a closing summary (docs/demo.md). Exit 0 when the day ran,
/// 1 when it could not (rules invalid, a port, the database), 64 for usage.
package enum Demo {
    /// - Parameters:
    ///   - print: receives the timeline and the summary, line by line (stdout).
    ///   - printError: receives error messages (stderr).
    package static func run(_ options: DemoOptions, in directory: URL,
                           print: @escaping @Sendable (String) -> Void,
                           printError: @escaping @Sendable (String) -> Void) async -> Int32 {
        let problems = options.problems()
        if !problems.isEmpty {
            for p in problems { printError("error: \(p)") }
            return 64
        }
        do {
            return try await DemoRun(options: options, directory: directory, print: print, printError: printError).run()
        } catch {
            printError("error: \(error)")
            return 1
        }
    }
}

/// One run of the demo, step by step.
struct DemoRun {
    let options: DemoOptions
    let directory: URL
    let print: @Sendable (String) -> Void
    let printError: @Sendable (String) -> Void

    func run() async throws -> Int32 {
        let bundles: [CheckedBundle]
        switch ReplayInputs.loadBundles(options.rules, in: directory) {
        case .failure(let failure):
            printError(failure.message.trimmingCharacters(in: .newlines))
            return failure.exitCode
        case .success(let (loaded, _)): bundles = loaded
        }
        let clock = DemoClock(start: options.start, speed: options.speed)
        var stackOptions = DemoStack.Options(databasePath: ReplayInputs.resolve(options.databasePath, in: directory).path)
        stackOptions.vehicles = options.vehicles
        stackOptions.seed = options.seed
        stackOptions.staleAfter = options.staleAfter
        stackOptions.remoteTimeout = options.staleAfter
        stackOptions.notificationSink = true               // deliveries end to end (docs/demo.md)
        stackOptions.consoleToken = Console.newToken()   // the web console, for as long as the demo runs
        let stack = try await DemoStack.start(bundles: bundles, options: stackOptions, clock: clock) { core, cars in
            await DemoScenario.prepare(core, cars)
        }
        printIntro(stack)
        let elapsed: Double
        do {
            elapsed = try await drive(clock: clock, database: stack.database)
        } catch {
            await stack.stop()
            throw error
        }
        await stack.stop()
        let decisions = try stack.database.loggedDecisions()
        let deliveries = try stack.database.notificationDeliveries(firingIds: decisions.compactMap(\.firing.id))
        print("")
        print(DemoSummary(decisions, deliveries: deliveries).text.trimmingCharacters(in: .newlines))
        print("")
        let delivered = stack.simulator.ledger.acknowledgedMessages.count
        print("\(delivered) notifications received, \(decisions.count) decisions; \(span) in "
              + String(format: "%.1f", elapsed) + " s. Log: \(options.databasePath) (vigie log --db \(options.databasePath))")
        if let sink = stack.sink?.counts {
            print("\(DemoSink.channel) (a local signed webhook) received \(sink.notifications) notify deliveries "
                  + "and \(sink.alerts) alerts, each delivery id once.")
        }
        return 0
    }

    /// Runs the simulated day, printing the timeline as decisions and outcomes land.
    /// Returns the real seconds it took.
    private func drive(clock: DemoClock, database: OutcomeDatabase) async throws -> Double {
        var timeline = DemoTimeline(timeZone: TimeZone(identifier: "Europe/Paris")!)
        if options.timeline { print(timeline.header) }
        let began = Date()
        clock.run()
        let end = options.start.addingTimeInterval(options.duration)
        while clock.now() < end {
            try await Task.sleep(nanoseconds: 100_000_000)
            let decisions = try database.loggedDecisions()
            let deliveries = try database.notificationDeliveries(firingIds: decisions.compactMap(\.firing.id))
            let lines = timeline.lines(for: decisions, deliveries: deliveries)
            if options.timeline { for line in lines { print(line) } }
        }
        return Date().timeIntervalSince(began)
    }

    /// `a simulated day`, or `6 simulated hours`.
    private var span: String {
        options.duration == 86_400 ? "a simulated day" : String(format: "%g simulated hours", options.duration / 3600)
    }

    private func printIntro(_ stack: DemoStack) {
        print("vigie demo: \(options.vehicles) simulated vehicles, seed \(options.seed), "
              + "\(span) at ×\(Int(options.speed))")
        print("bundles: " + stack.bundles.map(\.name).joined(separator: ", ") + "; " + stack.deploySummary)
        for line in stack.notes { print("  " + line) }
        if let token = stack.consoleToken, let port = stack.runtime.adminPort {
            print("console: http://127.0.0.1:\(port)/console (token \(token), until the demo ends; docs/console.md)")
        }
        print("")
    }
}
