import Foundation
import VigieKit
import VigieTestSupport
import XCTest

/// Decode warnings of a replay: once per field and value (SEMANTICS.md, issue 3), however
/// many lines bring the value and wherever in the payload it sits.
final class ReplayWarningTests: XCTestCase {
    static let events = """
        {"at": "2026-03-02T08:00:00Z", "vin": "V1", "status": {"energy": [{"type": "Electric", "level": 50, "charging": {"status": "Warp"}}]}}
        {"at": "2026-03-02T08:01:00Z", "vin": "V1", "status": {"energies": [{"type": "Electric", "level": 40, "charging": {"status": "Warp"}}]}}
        {"at": "2026-03-02T08:02:00Z", "vin": "V2", "status": {"energy": {"type": "Electric", "level": 10, "extension": {"electric": {"charging": {"status": "Warp"}}}}}}
        {"at": "2026-03-02T08:03:00Z", "vin": "V2", "status": {"energy": {"type": "Electric", "level": 10, "charging": {"status": "Other"}}}}

        """

    func testTheSameBadValueInAnotherContextWarnsOnce() throws {
        let parsed = ReplayEvents.parse(Self.events)
        XCTAssertEqual(parsed.errors.count, 0)
        let warp = parsed.events.flatMap(\.warnings).filter { $0.value == #""Warp""# }
        XCTAssertEqual(warp.count, 3, "each line warns on its own")
        XCTAssertEqual(Set(warp.map(\.field)), ["charging.status"])
        XCTAssertGreaterThan(Set(warp.map(\.message)).count, 1, "the lines differ in context: \(warp.map(\.message))")

        let folder = try TemporaryFolder(prefix: "vigie-warn")
        defer { folder.remove() }
        try folder.write("events.jsonl", Self.events)
        try folder.write("rules.yaml", """
            vigie: 1
            bundle: demo
            rules:
              - id: low
                when: battery.level < 20 %
                then:
                  - notify: "{{vin}} low"
            """)
        let r = try folder.vigie(["dry-run", "rules.yaml", "--events", "events.jsonl"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        XCTAssertEqual(warnings.count, 2, r.stderr)
        XCTAssertTrue(warnings[0].hasPrefix(#"events.jsonl:1: warning: charging.status = "Warp": "#), r.stderr)
        XCTAssertTrue(warnings[1].hasPrefix(#"events.jsonl:4: warning: charging.status = "Other": "#), r.stderr)
    }
}
