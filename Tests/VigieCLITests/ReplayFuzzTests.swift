import Foundation
import VigieTestSupport
import XCTest

/// Fuzzed replay files through the built `vigie dry-run` (issue 7 item 3): the process
/// never crashes or hangs, exits 0 or 1, and every error line on stderr names the
/// events file and a line of it (`PATH:LINE: error: …`; the one warning about the
/// bundles' `tag` selectors aside).
final class ReplayFuzzTests: XCTestCase {
    static var cases: Int { max(1, EventFuzzTests.fuzz.cases / 50) }

    func testDryRunOnFuzzedEventFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-replay-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        var generator = EventFuzzGenerator(seed: EventFuzzTests.fuzz.seed &+ 1)
        var exits: [Int32: Int] = [:]
        for i in 0..<Self.cases {
            let path = directory.appendingPathComponent("events-\(i).jsonl")
            let bytes = generator.file(lines: generator.int(1...6))
            try Data(bytes).write(to: path)
            // Count on bytes: as a String, "\r\n" is one Character that is not "\n".
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            let r = try CommandRunner.vigie(["dry-run", "Rules/ev-charging.yaml", "Rules/security.yaml", "--events", path.path])
            exits[r.exitCode, default: 0] += 1
            XCTAssertTrue(r.exitCode == 0 || r.exitCode == 1, "exit \(r.exitCode) for \(path.path):\n\(r.stderr.prefix(500))")
            for line in r.stderr.split(separator: "\n") {
                if line == "warning: `tag` selectors match no vehicle without --inventory" { continue }   // about the bundles
                guard line.hasPrefix(path.path + ":") else {
                    XCTFail("stderr line without file:line: \(line.prefix(300))")
                    continue
                }
                let rest = line.dropFirst(path.path.count + 1)
                let number = Int(rest.prefix { $0.isNumber }) ?? 0
                XCTAssertTrue((1...lines).contains(number), "line \(number) of \(lines): \(line.prefix(300))")
                XCTAssertTrue(rest.drop { $0.isNumber }.hasPrefix(": error: ") || rest.drop { $0.isNumber }.hasPrefix(": warning: "),
                              String(line.prefix(300)))
            }
            if r.exitCode == 1 { XCTAssertTrue(r.stderr.contains(": error: "), r.stderr) }
        }
        XCTAssertEqual(exits.values.reduce(0, +), Self.cases)
    }
}
