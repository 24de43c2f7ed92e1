import Foundation
import VehicleData
import XCTest
@testable import RuleLanguage

/// JSON, SARIF and GitHub renderers: exact shapes, sorted keys, escaping.
final class MachineFormatRendererTests: XCTestCase {
    typealias F = RenderingFixtures

    private func parse(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testJSONHasExactlyTheDocumentedKeys() throws {
        let text = JSONDiagnosticRenderer().render(F.report([F.unknownField, F.tabbed], omitted: 2))
        let root = try parse(text)
        XCTAssertEqual(Set(root.keys), ["diagnostics", "summary"])
        let diagnostics = try XCTUnwrap(root["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 2)
        XCTAssertEqual(Set(diagnostics[0].keys),
                       ["file", "line", "column", "endLine", "endColumn", "severity", "code", "message", "notes"])
        XCTAssertEqual(diagnostics[0]["line"] as? Int, 5)
        XCTAssertEqual(diagnostics[0]["column"] as? Int, 42)
        XCTAssertEqual(diagnostics[0]["endColumn"] as? Int, 53)
        XCTAssertEqual(diagnostics[0]["notes"] as? [String], ["did you mean `battery.level`?"])
        XCTAssertEqual(diagnostics[1]["severity"] as? String, "warning")
        let summary = try XCTUnwrap(root["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["files": 1, "bundles": 0, "rules": 0, "errors": 1, "warnings": 1, "omitted": 2])
    }

    func testJSONIsSortedAndDeterministic() {
        let text = JSONDiagnosticRenderer().render(F.report([F.tabbed]))
        XCTAssertEqual(text, """
            {
              "diagnostics": [
                {
                  "code": "unknown-key",
                  "column": 2,
                  "endColumn": 10,
                  "endLine": 7,
                  "file": "Rules/demo.yaml",
                  "line": 7,
                  "message": "unknown key `cooldwon`",
                  "notes": [],
                  "severity": "warning"
                }
              ],
              "summary": {
                "bundles": 0,
                "errors": 0,
                "files": 1,
                "omitted": 0,
                "rules": 0,
                "warnings": 1
              }
            }

            """)
    }

    func testCanonicalJSONEscapesAndNumbers() {
        let value: JSONValue = .object(["b": .array([.number(18), .number(19.5), .number(-0.25), .null, .bool(true)]),
                                        "a": .string("quote \" back \\ nl \n tab \t ctl \u{01} °C /")])
        XCTAssertEqual(CanonicalJSON.text(value, pretty: false),
                       #"{"a": "quote \" back \\ nl \n tab \t ctl \u0001 °C /", "b": [18, 19.5, -0.25, null, true]}"#)
    }

    func testSARIFListsEveryCodeAndLocatesResults() throws {
        let codes = [DiagnosticCode("unknown-key", .error, "Unknown key.", triggering: "", nonTriggering: ""),
                     DiagnosticCode("unknown-field", .error, "Unknown field.", triggering: "", nonTriggering: "")]
        let text = SARIFDiagnosticRenderer(codes: codes).render(F.report([F.unknownField]))
        let root = try parse(text)
        XCTAssertEqual(root["version"] as? String, "2.1.0")
        XCTAssertEqual(root["$schema"] as? String, SARIFDiagnosticRenderer.schemaURI)
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual(driver["name"] as? String, "vigie")
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.compactMap { $0["id"] as? String }, ["unknown-key", "unknown-field"])
        let result = try XCTUnwrap((run["results"] as? [[String: Any]])?.first)
        XCTAssertEqual(result["ruleId"] as? String, "unknown-field")
        XCTAssertEqual(result["ruleIndex"] as? Int, 1)
        XCTAssertEqual(result["level"] as? String, "error")
        XCTAssertEqual((result["message"] as? [String: Any])?["text"] as? String,
                       "unknown field `battery.lvl`\nnote: did you mean `battery.level`?")
        let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((location["artifactLocation"] as? [String: Any])?["uri"] as? String, "Rules/demo.yaml")
        XCTAssertEqual(location["region"] as? [String: Int],
                       ["startLine": 5, "startColumn": 42, "endLine": 5, "endColumn": 53])
    }

    func testSARIFDefaultRulesAreTheCodeList() throws {
        let root = try parse(SARIFDiagnosticRenderer().render(F.report([])))
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        XCTAssertEqual((driver["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String },
                       DiagnosticCode.all.map(\.id))
        XCTAssertEqual((run["results"] as? [Any])?.count, 0)
    }

    func testGitHubWorkflowCommandsAreEscaped() {
        let d = Diagnostic(severity: .warning, code: "always-false", message: "100% false: a, b",
                           range: F.at(3, 4, 3, 9, file: "Rules/a,b:c.yaml"), notes: ["first\nsecond"])
        let out = GitHubDiagnosticRenderer().render(F.report([d, F.unknownField], omitted: 1))
        XCTAssertEqual(out.split(separator: "\n").map(String.init), [
            "::warning file=Rules/a%2Cb%3Ac.yaml,line=3,col=4,endLine=3,endColumn=9,title=vigie always-false"
                + "::100%25 false: a, b%0Anote: first%0Asecond",
            "::error file=Rules/demo.yaml,line=5,col=42,endLine=5,endColumn=53,title=vigie unknown-field"
                + "::unknown field `battery.lvl`%0Anote: did you mean `battery.level`?",
            "1 file, 0 bundles, 0 rules: 1 error, 1 warning",
            "::warning title=vigie::1 more diagnostic not shown (raise --max-diagnostics to see them)",
        ])
        XCTAssertFalse(GitHubDiagnosticRenderer().render(F.report([F.unknownField])).contains("not shown"))
    }

    func testSARIFSaysWhenDiagnosticsWereLeftOut() throws {
        let root = try parse(SARIFDiagnosticRenderer().render(F.report([F.unknownField], omitted: 7)))
        let run = try XCTUnwrap((root["runs"] as? [[String: Any]])?.first)
        let invocation = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first)
        XCTAssertEqual(invocation["executionSuccessful"] as? Bool, true)
        let note = try XCTUnwrap((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
        XCTAssertEqual(note["level"] as? String, "warning")
        XCTAssertEqual((note["message"] as? [String: Any])?["text"] as? String,
                       "7 more diagnostics not shown (raise --max-diagnostics to see them)")
        XCTAssertEqual((note["properties"] as? [String: Any])?["omitted"] as? Int, 7)
        let complete = try parse(SARIFDiagnosticRenderer().render(F.report([F.unknownField])))
        XCTAssertNil(((complete["runs"] as? [[String: Any]])?.first)?["invocations"], "nothing left out, no notification")
    }
}
