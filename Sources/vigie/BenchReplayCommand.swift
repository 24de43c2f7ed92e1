import ArgumentParser
import Foundation
import VigieBench
import VigieKit

/// `vigie bench replay`: generates a seeded events file and times `vigie dry-run` over it.
struct BenchReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Benchmark `vigie dry-run` end to end on a generated events file (events/s, peak memory, time split).",
        discussion: """
            Writes rules.yaml and events.jsonl (seeded: the same options give the same bytes) \
            into --folder (a temporary folder, removed afterwards, when not given), then replays \
            them as `vigie dry-run --format json > /dev/null` in this process. See BENCHMARKS.md.
            """
    )

    enum Mix: String, ExpressibleByArgument, CaseIterable { case set, mixed }
    enum Mode: String, ExpressibleByArgument, CaseIterable { case pipelined, single, legacy }

    @Option(help: "Lines of the events file.") var lines = 1_000_000
    @Option(help: "Vehicles.") var vehicles = 10_000
    @Option(help: "Rules (of the kinds in Rules/).") var rules = 50
    @Option(help: "Seed of the generator.") var seed: UInt64 = 42
    @Option(help: "set: every line a `set` of 8 fields; mixed: 70 % set, 10 % each status shape, 10 % message.")
    var mix: Mix = .set
    @Option(help: "pipelined: reader thread and engine; single: one thread; legacy: whole file read first.")
    var mode: Mode = .pipelined
    @Option(help: "Keep the files in this folder; reuse them when they are there already.")
    var folder: String?
    @Flag(help: "Only write the files (needs --folder).") var generateOnly = false

    func validate() throws {
        guard lines > 0, vehicles > 0, rules > 0 else { throw ValidationError("--lines, --vehicles and --rules must be positive") }
        if generateOnly, folder == nil { throw ValidationError("--generate-only needs --folder") }
    }

    func run() throws {
        let file = ReplayBenchmarkFile(vehicles: vehicles, rules: rules, lines: lines, seed: seed,
                                       mix: mix == .set ? .set : .mixed)
        let temporary = folder == nil
        let dir = folder.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vigie-bench-replay-\(getpid())")
        defer { if temporary { try? FileManager.default.removeItem(at: dir) } }
        let rulesURL = dir.appendingPathComponent("rules.yaml"), eventsURL = dir.appendingPathComponent("events.jsonl")
        let exists = FileManager.default.fileExists(atPath: eventsURL.path) && FileManager.default.fileExists(atPath: rulesURL.path)
        if temporary || generateOnly || !exists {
            _ = try ReplayBenchmark.generate(file, in: dir)
            print("wrote \(eventsURL.path) (\(lines) lines, mix \(mix.rawValue), seed \(seed))")
        } else {
            print("reusing \(eventsURL.path)")
        }
        if generateOnly { return }
        let figures = try ReplayBenchmark.run(rules: rulesURL, events: eventsURL,
                                              mode: ReplayBenchmark.Mode(rawValue: mode.rawValue)!)
        print(ReplayBenchmark.report(figures), terminator: "")
        if figures.exitCode != 0 { throw ExitCode(figures.exitCode) }
    }
}
