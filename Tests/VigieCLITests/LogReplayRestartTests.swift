import Foundation
import VigieTestSupport
import XCTest

/// Issue 3 item 7 through the CLI: `vigie dry-run --db` stopped after any line (here: run
/// on the first k lines) and run again on the whole file records, as `vigie log` shows,
/// exactly the decisions of an uninterrupted dry-run (each fixture's expected.jsonl).
final class LogReplayRestartTests: XCTestCase {
    private func objects(_ text: String) throws -> [NSDictionary] {
        try text.split(separator: "\n").map { line in
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary)
            let copy = object.mutableCopy() as! NSMutableDictionary
            copy.removeObjects(forKeys: ["id", "outcomes"])
            return copy
        }
    }

    func testResumedReplaysRecordTheUninterruptedDecisions() throws {
        let root = SharedFiles.repoFile("Tests/Fixtures/engine")
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        XCTAssertGreaterThan(fixtures.count, 3)
        let folder = try TemporaryFolder(prefix: "vigie-restart")
        defer { folder.remove() }
        let scratch = folder.url
        for name in fixtures {
            let dir = root.appendingPathComponent(name)
            let rules = dir.appendingPathComponent("rules.yaml").path
            let events = try String(contentsOf: dir.appendingPathComponent("events.jsonl"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let expected = try objects(String(contentsOf: dir.appendingPathComponent("expected.jsonl"), encoding: .utf8))
            let argsFile = dir.appendingPathComponent("args.txt")
            let extra = (try? String(contentsOf: argsFile, encoding: .utf8))?
                .split(whereSeparator: \.isWhitespace).map(String.init) ?? []
            let full = scratch.appendingPathComponent("\(name).jsonl")
            try (events.joined(separator: "\n") + "\n").write(to: full, atomically: true, encoding: .utf8)
            for cut in 1..<events.count {
                let db = scratch.appendingPathComponent("\(name)-\(cut).sqlite").path
                let part = scratch.appendingPathComponent("\(name)-\(cut).jsonl")
                try (events.prefix(cut).joined(separator: "\n") + "\n").write(to: part, atomically: true, encoding: .utf8)
                let first = try CommandRunner.vigie(["dry-run", rules, "--events", part.path, "--db", db])
                XCTAssertEqual(first.exitCode, 0, "\(name) cut \(cut): \(first.stderr)")
                let rest = try CommandRunner.vigie(["dry-run", rules, "--events", full.path, "--db", db] + extra)
                XCTAssertEqual(rest.exitCode, 0, "\(name) cut \(cut): \(rest.stderr)")
                let log = try CommandRunner.vigie(["log", "--db", db, "--format", "json"])
                XCTAssertEqual(log.exitCode, 0, log.stderr)
                XCTAssertEqual(try objects(log.stdout), expected, "\(name): stopped after line \(cut)")
            }
        }
    }
}
