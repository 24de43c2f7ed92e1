import Foundation
import VigieTestSupport
import XCTest

/// `vigie test` per DESIGN.md (closes with `N passed, M failed`; 0 all pass, 1 any fail) and
/// docs/testing.md: partial matching, suppressions, several files, CRLF and BOM test files.
final class ConformanceRuleTestTests: XCTestCase {
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws {
        ws = try ConformanceWorkspace()
        try ws.write("rules/ev.yaml", """
            vigie: 1
            bundle: ev
            zones:
              depot: { center: { lat: 48.8667, lon: 2.3333 }, radius: 2 km }
            rules:
              - id: low
                when: battery.level < 20 and charging.plugged
                for: 5m
                cooldown: 1h
                then:
                  - charge: start
                  - navigate: {to: depot, approval: true}
                  - notify: "{{vin}}: battery at {{battery.level}} %"
            """)
    }

    override func tearDown() { ws.remove() }

    static let passing = """
        rule_files: [rules/ev.yaml]
        start: 2026-03-02T08:00:00Z
        vehicle: V1
        tests:
          - name: fires then is suppressed by the cooldown
            timeline:
              - { at: 0, set: { battery.level: 18, charging.plugged: true } }
              - { at: +10m, set: { battery.level: 50 } }
              - { at: +20m, set: { battery.level: 15 } }
            until: +1h30m
            expect:
              - at: +5m
                rule: ev/low
                vin: V1
                actions:
                  - remote: { charging: { immediate: true } }
                  - remote: { navigation: { driverApproval: true } }
                  - notify_contains: "battery at 18"
              - { at: "2026-03-02T08:25:00Z", rule: low, event: suppressed, reason: cooldown, actions: [] }
            never: []
        """

    func testPartialMatchingSuppressionsAndAbsoluteTimes() throws {
        try ws.write("a.test.yaml", Self.passing)
        let r = try ws.vigie(["test", "a.test.yaml"])
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "1 passed, 0 failed\n")
    }

    func testCRLFAndBOMTestFilesAndSeveralFiles() throws {
        try ws.write("crlf.test.yaml", "\u{FEFF}" + Self.passing.replacingOccurrences(of: "\n", with: "\r\n"))
        try ws.write("fail.test.yaml", Self.passing.replacingOccurrences(of: "at: +5m", with: "at: +6m"))
        let r = try ws.vigie(["test", "crlf.test.yaml", "fail.test.yaml", "--junit", "out/report.xml"])
        XCTAssertEqual(r.exitCode, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("FAIL fail.test.yaml: fires then is suppressed by the cooldown\n"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("\n1 passed, 1 failed\n"), r.stdout)
        let xml = try String(contentsOf: ws.dir.appendingPathComponent("out/report.xml"), encoding: .utf8)
        XCTAssertTrue(xml.contains(#"<testsuites name="vigie test" tests="2" failures="1" errors="0" time=""#), xml)
        XCTAssertTrue(xml.contains(#"<testsuite name="crlf.test.yaml" tests="1" failures="0" errors="0" time=""#), xml)
        XCTAssertTrue(xml.contains(#"<testsuite name="fail.test.yaml" tests="1" failures="1" errors="0" time=""#), xml)
        let valid = try JUnitReportTests.validate([ws.dir.appendingPathComponent("out/report.xml")])
        XCTAssertEqual(valid.exitCode, 0, "junit.xsd: " + valid.stdout + valid.stderr)
    }

    func testAnEmptyTestListSaysSo() throws {
        try ws.write("empty.test.yaml", "rule_files: [rules/ev.yaml]\ntests: []\n")
        let r = try ws.vigie(["test", "empty.test.yaml"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.contains("empty.test.yaml:2: error: `tests` is empty: a test file holds at least one test"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("0 passed, 1 failed\n"), r.stdout)
    }

    func testUsageErrors() throws {
        XCTAssertEqual(try ws.vigie(["test"]).exitCode, 64)
        XCTAssertEqual(try ws.vigie(["test", "--nope", "a.test.yaml"]).exitCode, 64)
    }
}
