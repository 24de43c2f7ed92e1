import Foundation
import RuleEngine
import VigieKit
import VigieTestSupport
import XCTest

/// Scenario fixtures: Tests/Fixtures/engine/<name>/{rules.yaml, events.jsonl, args.txt?,
/// expected.jsonl}. Each replays through `vigie dry-run --format json` (the library)
/// and must print exactly expected.jsonl. `VIGIE_UPDATE_GOLDENS=1` rewrites them (review
/// the diff).
final class DryRunFixtureTests: XCTestCase {
    static let root = SharedFiles.repoFile("Tests/Fixtures/engine")

    func testEveryScenarioFixture() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        for name in names {
            let dir = Self.root.appendingPathComponent(name)
            var options = DryRunOptions(paths: ["rules.yaml"], eventsPath: "events.jsonl", format: .json)
            if let args = try? String(contentsOf: dir.appendingPathComponent("args.txt"), encoding: .utf8) {
                let words = args.split(whereSeparator: \.isWhitespace).map(String.init)
                if let i = words.firstIndex(of: "--until") { options.until = words[i + 1] }
                if let i = words.firstIndex(of: "--inventory") { options.inventoryPath = words[i + 1] }
            }
            let output = ReplayDryRun.run(options, in: dir)
            XCTAssertEqual(output.exitCode, 0, "\(name): \(output.stderr)")
            let expectedURL = dir.appendingPathComponent("expected.jsonl")
            if ProcessInfo.processInfo.environment["VIGIE_UPDATE_GOLDENS"] == "1" {
                try output.stdout.write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            XCTAssertEqual(output.stdout, expected, "fixture \(name)")
        }
    }

    func testFixturesDecideTheSameWhenCutAndRestored() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.root.path).sorted() {
            let dir = Self.root.appendingPathComponent(name)
            guard case .success(let loaded) = ReplayInputs.load(paths: ["rules.yaml"], eventsPath: "events.jsonl",
                                                                  inventoryPath: nil, until: nil, in: dir) else {
                XCTFail("\(name) does not load")
                continue
            }
            let runner = ReplayRunner(bundles: loaded.bundles)
            let events = loaded.events.map { ($0.at, $0.vin, $0.observation) }
            let whole = runner.run(events).decisions
            for cut in 0...events.count {
                let first = runner.makeEngine()
                var got = runner.run(Array(events[..<cut]), on: first).decisions
                let data = try JSONEncoder().encode(first.snapshot())
                let second = runner.makeEngine()
                second.restore(try JSONDecoder().decode(EngineSnapshot.self, from: data))
                got += runner.run(Array(events[cut...]), on: second).decisions
                XCTAssertEqual(got, whole, "\(name) cut at \(cut)")
            }
        }
    }
}
