import Foundation
import RuleLanguage
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// Fuzzing of replay files (issue 7 item 3): seeded, structure-aware generated
/// `--events` files go through `ReplayEvents.parse` and `ReplayRunner`. Never a crash or
/// a hang; every error names a line of the file and fits on one bounded line.
/// `VIGIE_FUZZ_CASES=N` (default 2,000) and `VIGIE_FUZZ_SEED=S` set the run; the input
/// being tried is written to `$TMPDIR/vigie-fuzz/last-events.jsonl` first, so a crash
/// leaves it behind: copy it to `Tests/Fixtures/fuzz/events/` as a regression.
final class EventFuzzTests: XCTestCase {
    static let fuzz = FuzzRun(defaultCases: 2_000, defaultSeed: 20_261_127)
    /// Longest accepted error message (user text in messages is shortened).
    static let maxMessage = 400
    /// Replays spanning more simulated time than this (ms) are only parsed.
    static let maxReplaySpan: Int64 = 366 * 86_400_000

    lazy var bundles: [CheckedBundle] = {
        let folder = SharedFiles.repoFile("Rules")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.compactMap { name -> SourceFile? in
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return nil }
            return SourceFile(path: "Rules/" + name, text: text)
        }
        return RuleValidator.validate(files).bundles
    }()

    func testFuzzedEventFilesNeverCrashAndErrorsNameALine() throws {
        XCTAssertFalse(bundles.isEmpty)
        var generator = EventFuzzGenerator(seed: Self.fuzz.seed)
        let last = try FuzzRun.inputURL("last-events.jsonl")
        var slowest = 0.0, errors = 0, events = 0
        for i in 0..<Self.fuzz.cases {
            let bytes = generator.file(lines: generator.int(1...8))
            try Data(bytes).write(to: last)
            let (elapsed, counts) = check(bytes, name: "seed \(Self.fuzz.seed), case \(i)")
            if elapsed > 2 {   // keep slow inputs too, for a look
                try Data(bytes).write(to: FuzzRun.inputURL("slow-events-\(Self.fuzz.seed)-\(i).jsonl"))
            }
            slowest = max(slowest, elapsed)
            errors += counts.errors
            events += counts.events
        }
        XCTAssertGreaterThan(errors, Self.fuzz.cases / 10, "the generator should break many files")
        XCTAssertGreaterThan(events, Self.fuzz.cases, "the generator should keep many lines valid")
        XCTAssertLessThan(slowest, 10, "a case took \(slowest) s")
        print("event fuzz: \(Self.fuzz.cases) files, \(events) events replayed, \(errors) errors, slowest \(slowest) s")
    }

    func testKeptRegressionInputs() throws {
        let kept = try FuzzRun.keptInputs("Tests/Fixtures/fuzz/events", suffix: ".jsonl")
        XCTAssertFalse(kept.isEmpty)
        for (name, data) in kept { check(Array(data), name: name) }
    }

    /// Parses and replays one file; checks every error. Returns the time taken.
    @discardableResult
    func check(_ bytes: [UInt8], name: String, file: StaticString = #filePath, line: UInt = #line)
        -> (Double, (errors: Int, events: Int)) {
        let start = Date()
        let text = String(decoding: bytes, as: UTF8.self)
        // Lines end with LF or CRLF ("\r\n" is one Character), as ReplayEvents reads them.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).count
        let parsed = ReplayEvents.parse(text)
        for e in parsed.errors {
            XCTAssertTrue((1...lines).contains(e.line), "\(name): line \(e.line) of \(lines)", file: file, line: line)
            XCTAssertFalse(e.message.isEmpty, name, file: file, line: line)
            XCTAssertFalse(e.message.contains { $0.isNewline || $0 == "\0" }, "\(name): \(e.message.debugDescription)", file: file, line: line)
            XCTAssertLessThanOrEqual(e.message.count, Self.maxMessage, "\(name): \(e.message.prefix(200))…", file: file, line: line)
        }
        var previous: Int64?
        for event in parsed.events {
            XCTAssertTrue((1...lines).contains(event.line), name, file: file, line: line)
            if let previous { XCTAssertGreaterThanOrEqual(event.at, previous, name, file: file, line: line) }
            previous = event.at
        }
        // Replay time grows with the simulated span (schedule boundaries run for every
        // vehicle seen): a year typo (2326) found by the fuzzer makes a 300-year replay
        // that takes minutes, which is work, not a hang. Such files are parsed only.
        let span = (parsed.events.last?.at ?? 0) - (parsed.events.first?.at ?? 0)
        if span <= Self.maxReplaySpan {
            let output = ReplayRunner(bundles: bundles).run(parsed.events.map { ($0.at, $0.vin, $0.observation) })
            XCTAssertLessThanOrEqual(output.decisions.count, parsed.events.count * 64 + Int(span / 60_000),
                                     name, file: file, line: line)
        }
        return (Date().timeIntervalSince(start), (parsed.errors.count, parsed.events.count))
    }
}
