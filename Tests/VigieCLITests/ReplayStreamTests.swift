import Foundation
import RuleEngine
import RuleLanguage
import VehicleData
import VigieBench
@testable import VigieKit
import VigieTestSupport
import XCTest

/// The streaming replay (issue 21) reads every file as the whole-text reader
/// (`ReplayEvents.parse`) does — same events, same errors at the same lines — whatever
/// the chunk size, and replays to the same decisions in the same order, on one thread
/// or two.
final class ReplayStreamTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-stream")
    }

    override func tearDownWithError() throws {
        folder?.remove()
    }

    struct Read: Equatable {
        var events: [String] = []
        var errors: [String] = []
    }

    /// `bytes` through the chunked reader (chunks of `chunk` bytes) and the line parser;
    /// events printed as `line at vin fields`.
    func streamed(_ bytes: [UInt8], chunk: Int) throws -> Read {
        let url = try folder.write("in.jsonl", bytes: Data(bytes))
        let fd = open(url.path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var reader = ReplayLineReader(fileDescriptor: fd)
        reader.chunkSize = chunk
        var parser = ReplayLineParser(until: nil)
        var read = Read(), vins: [String] = []
        try reader.forEachLine { raw, n in
            var batch = ReplayBatch(capacity: 1)
            parser.take(raw, line: n, into: &batch)
            vins += batch.newVINs
            for i in 0..<batch.count {
                let values = batch.values[Int(batch.offsets[i])..<Int(batch.offsets[i + 1])]
                read.events.append(Self.describe(line: batch.lines[i], at: batch.at[i], vin: vins[Int(batch.vehicle[i])],
                                                 values: Array(values), dataTimes: batch.dataTimes[i] ?? [:]))
            }
            read.errors += batch.errors.map { "\($0.line): \($0.message)" }
            return true
        }
        return read
    }

    /// What `ReplayEvents.parse` reads, less the events after the first error (the
    /// stream hands none on after it).
    func whole(_ bytes: [UInt8]) -> Read {
        let parsed = ReplayEvents.parse(String(decoding: bytes, as: UTF8.self))
        let firstError = parsed.errors.map(\.line).min() ?? .max
        return Read(events: parsed.events.filter { $0.line < firstError }.map {
            Self.describe(line: $0.line, at: $0.at, vin: $0.vin,
                          values: $0.observation.values.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 },
                          dataTimes: $0.observation.dataTimes)
        }, errors: parsed.errors.map { "\($0.line): \($0.message)" })
    }

    static func describe(line: Int, at: Millis, vin: String, values: [(FieldID, FieldValue)],
                         dataTimes: [FieldID: Millis]) -> String {
        // Doubles by their bits: the fast path must give the very same numbers.
        let fields = values.map { f, v -> String in
            switch v {
            case .number(let x): return "\(f)=n\(x.bitPattern)"
            case .point(let a, let b): return "\(f)=p\(a.bitPattern),\(b.bitPattern)"
            default: return "\(f)=\(v)"
            }
        }
        let times = dataTimes.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }
        return "\(line) \(at) \(vin.debugDescription) " + fields.joined(separator: " ") + " " + times.joined(separator: " ")
    }

    func assertSameAsWhole(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = whole(bytes)
        for chunk in [1 << 20, 7] {
            XCTAssertEqual(try streamed(bytes, chunk: chunk), expected, "\(name), chunks of \(chunk)", file: file, line: line)
        }
    }

    func testEdgeCasesReadAsTheWholeTextReaderReadsThem() throws {
        let set = #"{"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": 18.25, "charging.plugged": true}}"#
        let cases: [(String, [UInt8])] = [
            ("BOM, CRLF, no final newline", [0xEF, 0xBB, 0xBF] + Array((set + "\r\n" + set + "\r\n\r\n" + set).utf8)),
            ("blank and padded lines", Array(("\n  \t\n " + set + "  \n\n\u{0B}" + set + "\u{0C}\n").utf8)),
            ("unicode spaces around a line", Array(("\u{00A0}" + set + "\u{2028}\n\u{3000}\n").utf8)),
            ("invalid UTF-8 in a string", Array(#"{"at": "2026-03-02T08:00:00Z", "vin": "V"#.utf8) + [0xFF, 0xC3]
                + Array(#"", "set": {"battery.level": 1}}"#.utf8) + [0x0A] + Array(#"{"at": 1, "vin": "\u00e9"#.utf8)),
            ("a lone CR inside a line", Array((set + "\r" + set + "\n").utf8)),
            ("status payloads with data times", Array((#"""
                {"at": "2026-03-02T08:00:00Z", "vin": "V3", "status": {"updatedAt": "2026-03-02T07:59:00Z", "energies": [{"type": "Electric", "level": 50, "createdAt": "2026-03-02T07:58:00Z"}], "environment": {"air": {"temp": 4}}}}
                {"at": "2026-03-02T08:01:00Z", "vin": "V3", "status": {"energy": {"type": "Electric", "level": 49, "charging": {"plugged": true}}}}
                """#).utf8)),
            ("set fields in any order, nulls, points, enums", Array((#"""
                {"vin":"V2","set":{"position":{"lon":2.35,"lat":48.8566},"charging.status":"Warp","speed":null,"autonomy":-0},"at":"2026-03-02T08:00:00.5Z"}
                {"at": "2026-03-02T08:00:01.123456Z", "vin": "V2", "set": {"outside.temperature": -12.75, "odometer": 123456789012345, "alerts": ["OilLevelLow"]}}
                {"at": "2026-03-02T08:00:02Z", "vin": "V2", "set": {"speed": 1e2, "odometer": 1234567890123456789, "battery.level": 0.1}}
                {"at": "2026-03-02T08:00:03+01:00", "vin": "V2", "set": {"battery.level": 5}}
                {"at": "2026-03-02t08:00:03z", "vin": "V2", "set": {}}
                """#).utf8)),
            ("errors the fast path leaves to the general one", Array((#"""
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": 18, "battery.level": 19}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.lvl": 18}}
                {"at": "2026-02-30T08:00:00Z", "vin": "V1", "set": {}}
                {"at": "2026-03-02T07:00:00Z", "vin": "V1", "set": {"battery.level": 18}}
                {"at": "2026-03-02T08:00:00Z", "vin": "", "set": {"battery.level": 18}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": 018}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.level": "18"}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"position": {"lat": 95, "lon": 2}}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"position": {"lat": 45, "lon": 2, "alt": 3}}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"moving": 1}}
                {"at": "2026-03-02T08:00:00Z", "vin": "V\u0031", "set": {"moving": true}, "vin": "V2"}
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"moving": true}} x
                {"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"moving": tru}}
                """#).utf8)),
        ]
        for (name, bytes) in cases { try assertSameAsWhole(bytes, name) }
    }

    func testFuzzedFilesReadAsTheWholeTextReaderReadsThem() throws {
        var generator = EventFuzzGenerator(seed: 21)
        for i in 0..<300 {
            try assertSameAsWhole(generator.file(lines: generator.int(1...8)), "fuzz case \(i)")
        }
    }

    /// The whole reader (chunks, batches, the bounded queue, the writer) over
    /// fuzzed files cut into batches of a few lines: the errors printed and the events
    /// handed on are those of `ReplayEvents.parse`.
    func testFuzzedFilesThroughTheStreamNameTheSameErrors() throws {
        var generator = EventFuzzGenerator(seed: 2_121)
        for i in 0..<200 {
            let bytes = generator.file(lines: generator.int(1...12))
            let expected = whole(bytes)
            let url = try folder.write("fuzz.jsonl", bytes: Data(bytes))
            for (batchLines, pipelined) in [(3, true), (1, true), (4_096, false)] {
                let fd = open(url.path, O_RDONLY)
                XCTAssertGreaterThanOrEqual(fd, 0)
                defer { close(fd) }
                let stream = ReplayStream(runner: ReplayRunner(bundles: []), format: .json, until: nil, untilText: nil,
                                          eventsPath: "e", pipelined: pipelined, batchLines: batchLines, queueCapacity: 2)
                let out = ReplayOutput(), err = ReplayOutput()
                let (code, stats) = stream.run(fileDescriptor: fd, output: out, errors: err)
                let printed = err.text.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
                let name = "fuzz case \(i), batches of \(batchLines), pipelined \(pipelined)"
                XCTAssertEqual(printed, expected.errors.map { e -> String in
                    let colon = e.firstIndex(of: ":")!
                    return "e:\(e[..<colon]): error:\(e[e.index(after: colon)...])"
                }, name)
                XCTAssertEqual(stats.events, expected.events.count, name)
                XCTAssertEqual(code, expected.errors.isEmpty ? 0 : 1, name)
            }
        }
    }

    func testBenchmarkFilesReadAsTheWholeTextReaderReadsThem() throws {
        for mix in ReplayBenchmarkFile.Mix.allCases {
            let url = folder.url.appendingPathComponent("bench-\(mix).jsonl")
            try ReplayBenchmarkFile(vehicles: 50, rules: 10, lines: 2_000, seed: 7, mix: mix).writeEvents(to: url.path)
            let bytes = Array(try Data(contentsOf: url))
            XCTAssertEqual(try streamed(bytes, chunk: 1 << 20), whole(bytes), "\(mix)")
        }
    }

    /// The fixtures and a generated mixed file: the streaming run prints exactly what the
    /// whole-file run prints, pipelined or on one thread, in both formats, with --explain.
    func testDecisionsAreThoseOfTheWholeFileRun() throws {
        let bench = ReplayBenchmarkFile(vehicles: 40, rules: 50, lines: 20_000, seed: 3, mix: .mixed)
        let (rules, events) = try ReplayBenchmark.generate(bench, in: folder.url.appendingPathComponent("bench"))
        var runs: [(URL, DryRunOptions)] = [
            (folder.url, DryRunOptions(paths: [rules.path], eventsPath: events.path, format: .json, until: "2026-03-04T00:00:00Z")),
            (folder.url, DryRunOptions(paths: [rules.path], eventsPath: events.path, format: .text, explain: ["rule-4"])),
        ]
        let root = SharedFiles.repoFile("Tests/Fixtures/engine")
        for name in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let dir = root.appendingPathComponent(name)
            var options = DryRunOptions(paths: ["rules.yaml"], eventsPath: "events.jsonl", format: .text)
            if let args = try? String(contentsOf: dir.appendingPathComponent("args.txt"), encoding: .utf8) {
                let words = args.split(whereSeparator: \.isWhitespace).map(String.init)
                if let i = words.firstIndex(of: "--until") { options.until = words[i + 1] }
                if let i = words.firstIndex(of: "--inventory") { options.inventoryPath = words[i + 1] }
            }
            runs.append((dir, options))
        }
        var decided = 0
        for (dir, options) in runs {
            let expected = ReplayDryRun.runWhole(options, in: dir)
            XCTAssertEqual(expected.exitCode, 0, expected.stderr)
            decided += expected.stdout.split(separator: "\n").count
            for pipelined in [true, false] {
                let out = ReplayOutput(), err = ReplayOutput()
                let (code, stats) = ReplayDryRun.run(options, in: dir, output: out, errors: err, pipelined: pipelined)
                XCTAssertEqual(code, 0, err.text)
                XCTAssertNotNil(stats)
                XCTAssertEqual(out.text, expected.stdout, "\(dir.lastPathComponent) \(options.format), pipelined \(pipelined)")
            }
        }
        XCTAssertGreaterThan(decided, 1_000, "the generated file should make many decisions")
    }

    func testABrokenLinePrintsNoDecisionAndEveryBrokenLineIsNamed() throws {
        let rules = try folder.write("r.yaml", """
            vigie: 1
            bundle: demo
            rules:
              - id: low
                when: battery.level < 20 %
                then: [{ notify: "{{vin}} {{battery.level}}" }]
            """)
        var lines = (0..<10_000).map { i in
            #"{"at": "2026-03-02T08:00:00Z", "vin": "V\#(i % 7)", "set": {"battery.level": \#(i % 2 == 0 ? 10 : 50)}}"#
        }
        lines[6_000] = #"{"at": "2026-03-02T08:00:00Z", "vin": "V1", "set": {"battery.lvl": 1}}"#
        lines[9_000] = "{broken"
        let events = try folder.write("e.jsonl", lines.joined(separator: "\n"))
        let r = ReplayDryRun.run(DryRunOptions(paths: [rules.path], eventsPath: events.path, format: .json), in: folder.url)
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stderr.contains("e.jsonl:6001: error: unknown field `battery.lvl` (did you mean `battery.level`?)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("e.jsonl:9001: error: bad JSON"), r.stderr)
        // Nothing printed on stdout, as before streaming, though the lines before the
        // first broken one make decisions.
        XCTAssertEqual(r.stdout, "")
        let prefix = try folder.write("prefix.jsonl", lines[..<6_000].joined(separator: "\n"))
        let good = ReplayDryRun.run(DryRunOptions(paths: [rules.path], eventsPath: prefix.path, format: .json), in: folder.url)
        XCTAssertEqual(good.exitCode, 0, good.stderr)
        XCTAssertGreaterThan(good.stdout.split(separator: "\n").count, 1_000)
    }

    /// Decisions to a regular file are written as made and, when a later line is broken,
    /// the file is cut back to where it stood (after `>` or `>>`); a file that stderr
    /// shares, and a pipe, get the decisions only once the file read clean.
    func testOutputIsTakenBackFromAFileWhenALineIsBroken() throws {
        let rules = try folder.write("r.yaml", """
            vigie: 1
            bundle: demo
            rules:
              - id: low
                when: battery.level < 20 %
                then: [{ notify: "{{vin}} {{battery.level}}" }]
            """)
        var lines = (0..<20_000).map { i in
            #"{"at": "2026-03-02T08:00:00Z", "vin": "V\#(i % 7)", "set": {"battery.level": \#(i % 2 == 0 ? 10 : 50)}}"#
        }
        let good = try folder.write("good.jsonl", lines.joined(separator: "\n"))
        lines[19_000] = "{broken"
        let broken = try folder.write("broken.jsonl", lines.joined(separator: "\n"))
        let expected = ReplayDryRun.run(DryRunOptions(paths: [rules.path], eventsPath: good.path, format: .json), in: folder.url)
        XCTAssertGreaterThan(expected.stdout.utf8.count, 1 << 17, "more than the output buffer, so some is written early")

        /// Runs the replay with stdout on `path` (opened with `flags`, then "before\n" written
        /// to it, as a script would before) and stderr on `errPath`.
        func run(_ events: URL, to path: String, flags: Int32, errorsTo errPath: String) throws -> (Int32, String) {
            let fd = open(path, flags, 0o644)
            let errFD = errPath == path ? fd : open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            XCTAssertTrue(fd >= 0 && errFD >= 0)
            XCTAssertEqual(write(fd, "before\n", 7), 7)
            let (code, _) = ReplayDryRun.run(DryRunOptions(paths: [rules.path], eventsPath: events.path, format: .json),
                                             in: folder.url, output: ReplayOutput(fileDescriptor: fd),
                                             errors: ReplayOutput(fileDescriptor: errFD), pipelined: true)
            close(fd)
            if errFD != fd { close(errFD) }
            return (code, try String(contentsOfFile: path, encoding: .utf8))
        }
        let out = folder.url.appendingPathComponent("out.jsonl").path, err = folder.url.appendingPathComponent("err.txt").path
        for (flags, name) in [(O_WRONLY | O_CREAT | O_TRUNC, ">"), (O_WRONLY | O_CREAT | O_APPEND, ">>")] {
            try "old\n".write(toFile: out, atomically: false, encoding: .utf8)
            let kept = name == ">>" ? "old\nbefore\n" : "before\n"
            let (badCode, badText) = try run(broken, to: out, flags: flags, errorsTo: err)
            XCTAssertEqual(badCode, 1, name)
            XCTAssertEqual(badText, kept, name)
            try "old\n".write(toFile: out, atomically: false, encoding: .utf8)
            let (code, text) = try run(good, to: out, flags: flags, errorsTo: err)
            XCTAssertEqual(code, 0, name)
            XCTAssertEqual(text, kept + expected.stdout, name)
        }
        // stdout and stderr on one file: the errors stay, no decision is written.
        let (sharedCode, sharedText) = try run(broken, to: out, flags: O_WRONLY | O_CREAT | O_TRUNC, errorsTo: out)
        XCTAssertEqual(sharedCode, 1)
        XCTAssertTrue(sharedText.hasPrefix("before\n" + broken.path + ":19001: error: bad JSON"), String(sharedText.prefix(300)))
        XCTAssertFalse(sharedText.contains("\"fired\""))
    }

    func testUntilBeforeALaterEventIsAUsageErrorNamingTheLastEvent() throws {
        let rules = try folder.write("r.yaml", "vigie: 1\nbundle: b\nrules:\n  - id: r\n    when: speed > 130 km/h\n    then: [{ notify: x }]\n")
        let events = try folder.write("e.jsonl", (0..<5_000).map { i in
            #"{"at": "2026-03-02T08:\#(String(format: "%02d", i / 100)):00Z", "vin": "V", "set": {"speed": 10}}"#
        }.joined(separator: "\n"))
        let r = ReplayDryRun.run(DryRunOptions(paths: [rules.path], eventsPath: events.path, until: "2026-03-02T08:10:00Z"),
                                 in: folder.url)
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("error: --until 2026-03-02T08:10:00Z is before the last event (2026-03-02T08:49:00Z)"),
                      r.stderr)
    }

    func testDecisionLinesAreTheBytesOfReplayFormat() throws {
        let texts = ["plain", "quote \" back\\slash /", "tab\tnew\nline\r\u{08}\u{0C}\u{01}\u{1F}", "été 🚗", ""]
        for (i, text) in texts.enumerated() {
            let d = Decision(at: 1_772_409_600_000 + Millis(i * 250), vin: "V\(text)", bundle: "b\(text)", rule: "r-\(i)",
                             event: i % 2 == 0 ? .fired : .suppressed, reason: i % 2 == 0 ? nil : .cooldown,
                             actions: i % 2 == 0 ? [.remote(.object(["charging": .object(["immediate": .bool(true), "n": .number(2.5)])])),
                                                    .notify(text)] : [])
            var bytes: [UInt8] = []
            ReplayDecisionJSON.append(d, to: &bytes)
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), ReplayFormat.jsonLine(d) + "\n", text)
        }
    }

    func testARendererReusedOverManyDecisionsPrintsTheBytesOfReplayFormat() throws {
        // Instants over several days, on a second and not, before 1970 and beyond year
        // 9999 (the day cache must not carry over); bodies of one rule changing and
        // coming back (the body cache must not serve a stale one).
        let instants: [Millis] = [1_772_409_600_000, 1_772_409_600_001, 1_772_409_659_999, 1_772_495_999_999, 1_772_496_000_000,
                                  1_772_496_000_250, -1, -86_400_000, -86_400_001, 0, 253_402_300_799_999, 253_402_300_800_000,
                                  253_402_300_800_123, 1_772_409_600_000, -62_135_596_800_000, -62_135_596_800_001]
        let bodies: [JSONValue] = [.object(["charging": .object(["immediate": .bool(true)])]),
                                   .object(["charging": .object(["at": .string("2026-03-02T22:30:00Z")])]),
                                   .object(["charging": .object(["immediate": .bool(true)])]),
                                   .object(["charging": .object(["at": .string("2026-03-03T22:30:00Z")])])]
        var renderer = ReplayDecisionJSON.Renderer()
        var count = 0
        for (i, at) in instants.enumerated() {
            for (k, body) in bodies.enumerated() {
                let rule = "r-\((i + k) % 3)"
                let d = Decision(at: at, vin: "VF3\(i)", bundle: k % 2 == 0 ? "b" : "b\"q", rule: rule, event: .fired,
                                 actions: [.remote(body), .notify("n \(k)"), .remote(bodies[(k + i) % bodies.count])])
                var bytes: [UInt8] = []
                renderer.append(d, to: &bytes)
                XCTAssertEqual(String(decoding: bytes, as: UTF8.self), ReplayFormat.jsonLine(d) + "\n", "\(at) \(k)")
                count += 1
            }
        }
        XCTAssertEqual(count, instants.count * bodies.count)
    }

    func testTheVehicleTableNumbersVINsInTheOrderTheyFirstAppear() {
        // VINs of every length from 1 to 40 bytes (past the 24 kept in a slot), some
        // differing only past the 24th byte, many of them, seen again and again.
        var vins: [[UInt8]] = []
        for n in 0..<6_000 {
            let length = 1 + n % 40
            var bytes = Array("VF3\(n)-".utf8)
            while bytes.count < length { bytes.append(UInt8(ascii: "A") + UInt8(bytes.count % 26)) }
            if bytes.count > length { bytes = Array(bytes.suffix(length)) }
            vins.append(bytes)
        }
        let long = Array(repeating: UInt8(ascii: "Z"), count: 30)
        for k in 0..<50 { vins.append(long + Array("\(k)".utf8)) }
        var table = ReplayVehicleTable()
        var reference: [[UInt8]: Int32] = [:]
        var seed: UInt64 = 7
        for _ in 0..<60_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let vin = vins[Int(seed >> 33) % vins.count]
            let expected = reference[vin]
            let (number, isNew) = vin.withUnsafeBufferPointer { table.number($0) }
            if let expected {
                XCTAssertEqual(number, expected)
                XCTAssertFalse(isNew)
            } else {
                XCTAssertTrue(isNew)
                XCTAssertEqual(number, Int32(reference.count))
                reference[vin] = number
            }
        }
        XCTAssertEqual(table.count, reference.count)
        XCTAssertGreaterThan(reference.count, 5_000)
    }
}
