import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import VigieTestSupport
import XCTest
@testable import VigieKit

/// `vigie test --junit`: well-formed XML whatever names and messages hold, valid against the
/// common JUnit schema (Tests/tools/junit/junit.xsd, checked with PyPI's xmlschema — the test
/// fails, not skips, when it is missing; .ci/run installs it).
final class JUnitReportTests: XCTestCase {
    static let validator = SharedFiles.repositoryRoot.appendingPathComponent("Tests/tools/junit/validate.py")

    /// Runs validate.py on `files`: exit status and output.
    static func validate(_ files: [URL]) throws -> CommandResult {
        try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", validator.path] + files.map(\.path),
                              in: SharedFiles.repositoryRoot)
    }

    func testHostileNamesAndMessagesGiveValidXML() throws {
        let hostile = "ctl \u{01}\u{08}\u{0B}\u{0C}\u{1B}[31m nul \u{00} amp & lt < gt > quote \" apos ' ]]> tab\tcr\r lf\n é 🚗 \u{FFFE}"
        let summary = RuleTestRunner.Summary(results: [
            .init(file: "t&<\".yaml", name: "ok " + hostile, failures: [], seconds: 0.25),
            .init(file: "t&<\".yaml", name: hostile, failures: ["expected: " + hostile, "got: \u{07}"], seconds: 1),
            .init(file: "broken.yaml", name: "(file)", failures: ["broken.yaml:3:1: bad YAML \u{02}"], seconds: 0),
        ], rules: [], firedRules: [])
        let xml = RuleTestReport.junit(summary)
        XCTAssertFalse(xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "no raw control characters but tab and LF")
        let folder = try TemporaryFolder(prefix: "vigie-junit")
        defer { folder.remove() }
        let url = URL(fileURLWithPath: folder.path("report.xml"))
        try Data(xml.utf8).write(to: url)

        // Well-formed for Foundation's parser, and the names survive (controls as U+FFFD).
        let parser = XMLParser(data: Data(xml.utf8))
        let collector = AttributeCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        XCTAssertTrue(collector.names.contains { $0.hasPrefix("ctl \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}[31m nul \u{FFFD} amp & lt < gt > quote \" apos ' ]]> tab\tcr\r lf\n é 🚗 \u{FFFD}") },
                      "\(collector.names)")

        let r = try Self.validate([url])
        XCTAssertEqual(r.exitCode, 0, r.stdout + r.stderr + "\n" + xml)
        XCTAssertTrue(xml.contains(#"<testsuites name="vigie test" tests="3" failures="1" errors="1""#), xml)
        XCTAssertTrue(xml.contains(#"<testsuite name="broken.yaml" tests="1" failures="0" errors="1""#), xml)
        XCTAssertTrue(xml.contains("<error message=\"broken.yaml:3:1: bad YAML \u{FFFD}\" type=\"LoadError\">"), xml)
    }

    func testTheValidatorRefusesAReportWithoutErrors() throws {
        let folder = try TemporaryFolder(prefix: "vigie-junit")
        defer { folder.remove() }
        let url = URL(fileURLWithPath: folder.path("old.xml"))
        try Data(#"<?xml version="1.0"?><testsuites><testsuite name="a" tests="1" failures="0"><testcase name="x"/></testsuite></testsuites>"#.utf8)
            .write(to: url)
        let r = try Self.validate([url])
        XCTAssertEqual(r.exitCode, 1, "the schema requires `errors`: " + r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("errors"), r.stderr)
    }
}

/// Collects `name` attributes of `testcase` elements.
private final class AttributeCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if element == "testcase", let name = attributes["name"] { names.append(name) }
    }
}
