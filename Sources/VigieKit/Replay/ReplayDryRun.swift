import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RuleEngine
import RuleLanguage
import VehicleData

/// The options of `vigie dry-run`.
package struct DryRunOptions: Sendable {
    package enum Format: String, Sendable, CaseIterable { case text, json }
    package var paths: [String]
    package var eventsPath: String
    package var format: Format
    package var explain: [String]
    package var inventoryPath: String?
    package var until: String?
    /// Record decisions and engine state in this OutcomeStore database; resume from it.
    package var dbPath: String?

    package init(paths: [String], eventsPath: String, format: Format = .text, explain: [String] = [],
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

/// `vigie dry-run PATH… --events FILE`: replays events against rule files and prints the
/// decisions; calls no API. Exit 0, 1 (rule errors, broken events or inventory), 64 (usage).
///
/// The events file is streamed (`ReplayStream`): read in chunks, parsed on a reader
/// thread, decisions written as they are made; memory does not grow with the file. With
/// `--db`, the file is read whole first (`runWhole`), so that a broken file records
/// nothing.
package enum ReplayDryRun {
    /// Runs and returns what it would print (tests, the library).
    package static func run(_ options: DryRunOptions,
                           in directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> CommandOutput {
        let out = ReplayOutput(), err = ReplayOutput()
        let code = run(options, in: directory, output: out, errors: err).exitCode
        return CommandOutput(stdout: out.text, stderr: err.text, exitCode: code)
    }

    /// Runs, writing to `output` and `errors` as it goes (flushed before it returns).
    /// `pipelined: false` reads and replays on the calling thread only. The figures are
    /// nil when the replay did not stream (`--db`, or a failure before the events).
    @discardableResult
    package static func run(_ options: DryRunOptions, in directory: URL, output: ReplayOutput, errors: ReplayOutput,
                           pipelined: Bool = true) -> (exitCode: Int32, stats: ReplayStats?) {
        defer {
            output.flush()
            errors.flush()
        }
        if options.dbPath != nil {
            let whole = runWhole(options, in: directory)
            output.write(whole.stdout)
            errors.write(whole.stderr)
            return (whole.exitCode, nil)
        }
        let rules: ReplayInputs.Rules
        switch ReplayInputs.loadRules(paths: options.paths, inventoryPath: options.inventoryPath, in: directory) {
        case .failure(let failure):
            errors.write(failure.message)
            return (failure.exitCode, nil)
        case .success(let r): rules = r
        }
        errors.write(rules.warnings)
        let path = ReplayInputs.resolve(options.eventsPath, in: directory).path
        let fd = open(path, O_RDONLY)
        var info = stat()
        guard fd >= 0, fstat(fd, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
            if fd >= 0 { close(fd) }
            errors.write("error: cannot read events file \(options.eventsPath)\n")
            return (64, nil)
        }
        defer { close(fd) }
        var until: Millis?
        if let text = options.until {
            guard let t = RFC3339.parse(text) else {
                errors.write("error: --until \(text): not an RFC 3339 timestamp\n")
                return (64, nil)
            }
            until = t
        }
        let known = Set(rules.bundles.flatMap { b in b.rules.flatMap { [$0.id, "\(b.name)/\($0.id)"] } })
        for name in options.explain where !known.contains(name) {
            errors.write("error: --explain \(name): no such rule (write RULE or BUNDLE/RULE)\n")
            return (64, nil)
        }
        let runner = ReplayRunner(bundles: rules.bundles, inventory: rules.inventory, explain: Set(options.explain))
        let stream = ReplayStream(runner: runner, format: options.format, until: until, untilText: options.until,
                                  eventsPath: options.eventsPath, pipelined: pipelined)
        // Decisions are printed only when the whole file reads without error (as before
        // streaming): held back meanwhile (`ReplayOutput.withhold`).
        do { try output.withhold(otherFD: errors.fileDescriptor) } catch {
            errors.write("error: \(error)\n")
            return (1, nil)
        }
        let (code, stats) = stream.run(fileDescriptor: fd, output: output, errors: errors)
        if code == 0 { output.release() } else { output.discard() }
        return (code, stats)
    }

    /// The whole file read and parsed first, then replayed, the output gathered (`--db`).
    package static func runWhole(_ options: DryRunOptions,
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
