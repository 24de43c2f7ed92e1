import Foundation
import VigieTestSupport
import XCTest

/// `vigie test` end to end: failures with expected vs got, the closing line, JUnit,
/// coverage, exit codes.
final class RuleTestCommandTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-test")
        try folder.write("rules.yaml", """
            vigie: 1
            bundle: demo
            rules:
              - id: low
                when: battery.level < 20 %
                for: 5m
                then: [{ charge: start }, { notify: "{{vin}} at {{battery.level}} %" }]
              - id: fast
                when: speed > 130 km/h
                then: [{ horn: on }]
            """)
    }

    override func tearDownWithError() throws {
        folder?.remove()
    }

    func testPassingAndFailingTests() throws {
        try folder.write("t.yaml", """
            rule_files: [rules.yaml]
            vehicle: V1
            start: 2026-03-02T08:00:00Z
            tests:
              - name: fires after five minutes
                timeline:
                  - { at: +0m, set: { battery.level: 18 } }
                until: +10m
                expect:
                  - { at: +5m, rule: low, actions: [{ remote: { charging: { immediate: true } } }, { notify: "V1 at 18 %" }] }
              - name: wrong time
                timeline:
                  - { at: +0m, set: { battery.level: 18 } }
                until: +10m
                expect:
                  - { at: +4m, rule: low }
              - name: never fast
                timeline:
                  - { at: +0m, set: { speed: 150 } }
                never: [fast]
            """)
        let r = try folder.vigie(["test", "t.yaml", "--junit", "junit.xml", "--coverage"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.contains("FAIL t.yaml: wrong time"), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"expected: {"at": "2026-03-02T08:04:00Z", "event": "fired", "rule": "low"}"#), r.stdout)
        XCTAssertTrue(r.stdout.contains(#"got:      {"actions": [{"remote": {"charging": {"immediate": true}}}"#), r.stdout)
        XCTAssertTrue(r.stdout.contains("FAIL t.yaml: never fast"), r.stdout)
        XCTAssertTrue(r.stdout.contains("rule fast must never fire"), r.stdout)
        XCTAssertFalse(r.stdout.contains("FAIL t.yaml: fires after five minutes"))
        XCTAssertTrue(r.stdout.hasSuffix("1 passed, 2 failed\n"), r.stdout)
        let xml = try String(contentsOfFile: folder.path("junit.xml"), encoding: .utf8)
        XCTAssertTrue(xml.contains(#"<testsuite name="t.yaml" tests="3" failures="2" errors="0" time=""#), xml)
        let valid = try JUnitReportTests.validate([URL(fileURLWithPath: folder.path("junit.xml"))])
        XCTAssertEqual(valid.exitCode, 0, "junit.xsd: " + valid.stdout + valid.stderr)
        XCTAssertTrue(xml.contains(#"<testcase classname="t.yaml" name="fires after five minutes""#), xml)
    }

    func testAllPassAndCoverage() throws {
        try folder.write("ok.yaml", """
            rule_files: [rules.yaml]
            vehicle: V1
            start: 2026-03-02T08:00:00Z
            tests:
              - name: low fires
                timeline: [{ at: 0, set: { battery.level: 18 } }]
                until: +5m
                expect: [{ at: +5m, rule: low }]
            """)
        let r = try folder.vigie(["test", "ok.yaml", "--coverage"])
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("coverage: 1 of 2 rules never fired in a test:\n  demo/fast\n"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    func testBrokenTestFileIsAFailureWithItsLine() throws {
        try folder.write("bad.yaml", "rule_files: [rules.yaml]\nstart: 2026-03-02T08:00:00Z\ntests:\n  - name: x\n    timelin: []\n")
        let r = try folder.vigie(["test", "bad.yaml"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.contains("bad.yaml:5: error: unknown key `timelin`"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("0 passed, 1 failed\n"))
        XCTAssertEqual(try folder.vigie(["test"]).exitCode, 64)
    }
}
