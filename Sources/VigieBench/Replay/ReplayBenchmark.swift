import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RuleEngine
import VigieKit

/// `vigie bench replay`: writes a seeded events file and its rules
/// (`ReplayBenchmarkFile`), then times `vigie dry-run --format json` over it end to end
/// in this process, its output going to /dev/null: events per second, peak memory, and
/// where the time went (read, parse, engine, write). `legacy` times the whole-file path
/// instead (`ReplayDryRun.runWhole`: read all, parse all, replay, print), for comparison.
package enum ReplayBenchmark {
    package enum Mode: String, Sendable, CaseIterable {
        /// The reader on its own thread, a bounded queue to the engine.
        case pipelined
        /// Reader and engine on one thread, batch after batch.
        case single
        /// The whole file read and parsed before the replay (the path before streaming).
        case legacy
    }

    package struct Figures: Sendable {
        package var mode: Mode
        package var lines: Int
        package var fileBytes: Int
        package var seconds: Double
        package var events: Int
        package var decisions: Int
        package var exitCode: Int32
        /// The streaming figures (nil for `legacy`).
        package var stats: ReplayStats?
        /// VmHWM of /proc/self/status (ru_maxrss elsewhere), before the replay and after.
        package var peakBeforeBytes: Int
        package var peakBytes: Int
        /// `legacy`: seconds to read, parse, replay and print.
        package var legacySplit: [Double]?
        /// CPU time of the whole process (every thread) during the replay: on a shared
        /// machine, steadier than the wall time.
        package var cpuSeconds = 0.0
        package var eventsPerSecond: Double { Double(lines) / max(seconds, 1e-9) }
    }

    /// Writes `file`'s rules and events into `folder` (created if needed).
    package static func generate(_ file: ReplayBenchmarkFile, in folder: URL) throws -> (rules: URL, events: URL) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let rules = folder.appendingPathComponent("rules.yaml"), events = folder.appendingPathComponent("events.jsonl")
        try file.rulesYAML().write(to: rules, atomically: true, encoding: .utf8)
        try file.writeEvents(to: events.path)
        return (rules, events)
    }

    /// Replays `events` against `rules` as `vigie dry-run --format json > /dev/null`.
    package static func run(rules: URL, events: URL, mode: Mode) throws -> Figures {
        guard let sink = FileHandle(forWritingAtPath: "/dev/null") else {
            throw ReplayBenchmarkError(message: "cannot open /dev/null")
        }
        defer { try? sink.close() }
        let attributes = try FileManager.default.attributesOfItem(atPath: events.path)
        let bytes = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let options = DryRunOptions(paths: [rules.path], eventsPath: events.path, format: .json)
        let directory = events.deletingLastPathComponent()
        let before = peakRSSBytes()
        let cpuStart = processCPUSeconds()
        let start = ProcessMetrics.monotonicSeconds()
        let output = ReplayOutput(fileDescriptor: sink.fileDescriptor)
        let errors = ReplayOutput(fileDescriptor: 2)
        var code: Int32, stats: ReplayStats?, split: [Double]?
        switch mode {
        case .legacy:
            (code, split) = try legacy(rules: rules, events: events, output: output)
        case .pipelined, .single:
            split = nil
            (code, stats) = ReplayDryRun.run(options, in: directory, output: output, errors: errors,
                                             pipelined: mode == .pipelined)
        }
        let seconds = ProcessMetrics.monotonicSeconds() - start
        let cpu = processCPUSeconds() - cpuStart
        let lines = stats?.lines ?? countLines(events)
        return Figures(mode: mode, lines: lines, fileBytes: bytes, seconds: seconds, events: stats?.events ?? lines,
                       decisions: stats?.decisions ?? -1, exitCode: code, stats: stats, peakBeforeBytes: before,
                       peakBytes: peakRSSBytes(), legacySplit: split, cpuSeconds: cpu)
    }

    /// CPU time of this process, all threads, in seconds.
    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The path before streaming, step by step (as `ReplayDryRun.runWhole` without `--db`):
    /// the whole file read, all of it parsed, replayed, the decisions printed. Returns the
    /// exit status and the seconds of each step.
    static func legacy(rules: URL, events: URL, output: ReplayOutput) throws -> (Int32, [Double]) {
        guard case .success(let (bundles, _)) = ReplayInputs.loadBundles([rules.path], in: rules.deletingLastPathComponent())
        else { throw ReplayBenchmarkError(message: "the rule file does not load") }
        let t0 = ProcessMetrics.monotonicSeconds()
        guard let data = FileManager.default.contents(atPath: events.path) else {
            throw ReplayBenchmarkError(message: "cannot read \(events.path)")
        }
        let t1 = ProcessMetrics.monotonicSeconds()
        let parsed = ReplayEvents.parse(String(decoding: data, as: UTF8.self))
        guard parsed.errors.isEmpty else { return (1, []) }
        let t2 = ProcessMetrics.monotonicSeconds()
        let result = ReplayRunner(bundles: bundles).run(parsed.events.map { ($0.at, $0.vin, $0.observation) })
        let t3 = ProcessMetrics.monotonicSeconds()
        var out = ""
        for item in result.timeline {
            if case .decision(let d) = item { out += ReplayFormat.jsonLine(d) + "\n" }
        }
        output.write(out)
        output.flush()
        let t4 = ProcessMetrics.monotonicSeconds()
        return (0, [t1 - t0, t2 - t1, t3 - t2, t4 - t3])
    }

    static func countLines(_ url: URL) -> Int {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return count
    }

    /// Peak resident set size: VmHWM of /proc/self/status on Linux, ru_maxrss elsewhere.
    package static func peakRSSBytes() -> Int {
        #if os(Linux)
        if let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kib * 1024
        }
        #endif
        return ProcessMetrics.peakRSSBytes()
    }

    package static func report(_ f: Figures) -> String {
        func mib(_ b: Int) -> String { String(format: "%.1f MiB", Double(b) / 1_048_576) }
        func share(_ s: Double) -> String { String(format: "%.3f s (%.0f %%)", s, 100 * s / max(f.seconds, 1e-9)) }
        var out = "replay (\(f.mode.rawValue)): \(f.lines) lines, \(mib(f.fileBytes)), exit \(f.exitCode)\n"
        out += String(format: "time: %.3f s\nevents per second: %.0f\n", f.seconds, f.eventsPerSecond)
        out += String(format: "CPU time (all threads): %.3f s (%.0f events per CPU second)\n", f.cpuSeconds,
                      Double(f.lines) / max(f.cpuSeconds, 1e-9))
        out += "peak memory (VmHWM): \(mib(f.peakBytes)) (\(mib(f.peakBeforeBytes)) before the replay)\n"
        if let t = f.legacySplit, t.count == 4 {
            out += "read \(share(t[0])), parse \(share(t[1])), engine \(share(t[2])), write \(share(t[3]))\n"
        }
        if let s = f.stats {
            out += "decisions: \(s.decisions) (\(s.fired) fired); vehicles: \(s.vehicles), engine state \(mib(s.stateBytes))\n"
            out += String(format: "set lines read the fast way: %d of %d; status and message lines read in place: %d\n",
                          s.fastLines, s.lines, s.tapeLines)
            if s.pipelined {
                out += "reader thread: read \(share(s.readSeconds)), parse \(share(s.parseSeconds)), "
                    + "waiting for room \(share(s.readerWaitSeconds))\n"
                out += "engine thread: engine \(share(s.engineSeconds)), taking decisions \(share(s.takeSeconds)), "
                    + "waiting for a batch \(share(s.engineWaitSeconds))\n"
                out += "writer thread: rendering and writing \(share(s.writeSeconds))\n"
            } else {
                out += "read \(share(s.readSeconds)), parse \(share(s.parseSeconds)), engine \(share(s.engineSeconds)), "
                    + "taking decisions \(share(s.takeSeconds)), write \(share(s.writeSeconds))\n"
            }
        }
        return out
    }
}
