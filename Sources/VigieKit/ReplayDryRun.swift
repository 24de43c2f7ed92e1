import Foundation
import RuleEngine
import RuleLanguage
import VehicleData

/// The options of `vigie dry-run`.
public struct DryRunOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    public var paths: [String]
    public var eventsPath: String
    public var format: Format
    public var explain: [String]
    public var inventoryPath: String?
    public var until: String?
    /// Record decisions and engine state in this OutcomeStore database; resume from it.
    public var dbPath: String?

    public init(paths: [String], eventsPath: String, format: Format = .text, explain: [String] = [],
                inventoryPath: String? = nil, until: String? = nil, dbPath: String? = nil) {
        self.paths = paths
        self.eventsPath = eventsPath
        self.format = format
        self.explain = explain
        self.inventoryPath = inventoryPath
        self.until = until
        self.dbPath = dbPath
    }
}

/// What a command prints and how it exits.
public struct CommandOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32
    public init(stdout: String = "", stderr: String = "", exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// `vigie dry-run PATH… --events FILE`: replays events against rule files and prints the
/// decisions; calls no API. Exit 0, 1 (rule errors, broken events or inventory), 64 (usage).
public enum ReplayDryRun {
    public static func run(_ options: DryRunOptions,
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> CommandOutput {
        var err = ""
        let loaded: ReplayInputs.Loaded
        switch ReplayInputs.load(paths: options.paths, eventsPath: options.eventsPath,
                                 inventoryPath: options.inventoryPath, until: options.until, in: directory) {
        case .failure(let failure): return CommandOutput(stderr: failure.message, exitCode: failure.exitCode)
        case .success(let l): loaded = l
        }
        err += loaded.warnings
        let known = Set(loaded.bundles.flatMap { b in b.rules.flatMap { [$0.id, "\(b.name)/\($0.id)"] } })
        for name in options.explain where !known.contains(name) {
            return CommandOutput(stderr: err + "error: --explain \(name): no such rule (write RULE or BUNDLE/RULE)\n", exitCode: 64)
        }
        let runner = ReplayRunner(bundles: loaded.bundles, inventory: loaded.inventory, explain: Set(options.explain))
        let events = loaded.events.map { ($0.at, $0.vin, $0.observation) }
        let output: ReplayRunner.Output
        if let dbPath = options.dbPath {
            do {
                output = try ReplayStore.run(runner, events: events, until: loaded.until,
                                             dbPath: ReplayInputs.resolve(dbPath, in: directory).path)
            } catch {
                return CommandOutput(stderr: err + "error: --db \(dbPath): \(error)\n", exitCode: 1)
            }
        } else {
            output = runner.run(events, until: loaded.until)
        }
        var out = ""
        switch options.format {
        case .json:
            for item in output.timeline {
                switch item {
                case .decision(let d): out += ReplayFormat.jsonLine(d) + "\n"
                case .explanation(let e): err += ReplayFormat.text(e)
                }
            }
        case .text:
            for item in output.timeline {
                switch item {
                case .decision(let d): out += ReplayFormat.text(d) + "\n"
                case .explanation(let e): out += ReplayFormat.text(e)
                }
            }
            out += ReplayFormat.summary(output.decisions, events: loaded.events.count) + "\n"
        }
        return CommandOutput(stdout: out, stderr: err, exitCode: 0)
    }
}
