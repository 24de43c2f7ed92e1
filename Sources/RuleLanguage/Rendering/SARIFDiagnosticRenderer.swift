import Foundation
import VehicleData

/// Renders diagnostics as a SARIF 2.1.0 log: one run of the `vigie` tool whose
/// `tool.driver.rules` lists every diagnostic code (`DiagnosticCode.all`), and one
/// result per diagnostic with its physical location. Columns count Unicode scalar
/// values (`columnKind: unicodeCodePoints`). Diagnostics left out by `--max-diagnostics`
/// are reported in `invocations[0].toolExecutionNotifications` (a warning with the count).
public struct SARIFDiagnosticRenderer: Sendable {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public var codes: [DiagnosticCode]
    public var toolVersion: String

    public init(codes: [DiagnosticCode] = DiagnosticCode.all, toolVersion: String = "1.0.0") {
        self.codes = codes
        self.toolVersion = toolVersion
    }

    public func render(_ report: DiagnosticReport) -> String {
        CanonicalJSON.text(json(report)) + "\n"
    }

    public func json(_ report: DiagnosticReport) -> JSONValue {
        let ruleIndex = Dictionary(codes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let driver: JSONValue = .object([
            "name": .string("vigie"),
            "version": .string(toolVersion),
            "rules": .array(codes.map(Self.rule)),
        ])
        var run: [String: JSONValue] = [
            "tool": .object(["driver": driver]),
            "columnKind": .string("unicodeCodePoints"),
            "results": .array(report.diagnostics.map { Self.result($0, ruleIndex: ruleIndex[$0.code]) }),
        ]
        // Results past --max-diagnostics are not dropped silently: the run's invocation
        // carries a warning notification saying how many were left out.
        if let omitted = report.omittedLine {
            run["invocations"] = .array([.object([
                "executionSuccessful": .bool(true),
                "toolExecutionNotifications": .array([.object([
                    "level": .string("warning"),
                    "descriptor": .object(["id": .string("omitted-diagnostics")]),
                    "message": .object(["text": .string(omitted)]),
                    "properties": .object(["omitted": .number(Double(report.omitted))]),
                ])]),
            ])])
        }
        let runValue: JSONValue = .object(run)
        return .object([
            "$schema": .string(Self.schemaURI),
            "version": .string("2.1.0"),
            "runs": .array([runValue]),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    static func rule(_ code: DiagnosticCode) -> JSONValue {
        .object([
            "id": .string(code.id),
            "name": .string(code.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()),
            "shortDescription": .object(["text": .string(code.summary)]),
            "defaultConfiguration": .object(["level": .string(level(code.severity))]),
        ])
    }

    /// A relative path as a URI reference (spaces and the like percent-encoded).
    static func uri(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    static func result(_ d: Diagnostic, ruleIndex: Int?) -> JSONValue {
        let text = ([d.message] + d.notes.map { "note: \($0)" }).joined(separator: "\n")
        var object: [String: JSONValue] = [
            "ruleId": .string(d.code),
            "level": .string(level(d.severity)),
            "message": .object(["text": .string(text)]),
            "locations": .array([.object([
                "physicalLocation": .object([
                    "artifactLocation": .object(["uri": .string(uri(d.range.file))]),
                    "region": .object([
                        "startLine": .number(Double(d.range.start.line)),
                        "startColumn": .number(Double(d.range.start.column)),
                        "endLine": .number(Double(d.range.end.line)),
                        "endColumn": .number(Double(d.range.end.column)),
                    ]),
                ]),
            ])]),
        ]
        if let ruleIndex { object["ruleIndex"] = .number(Double(ruleIndex)) }
        return .object(object)
    }
}
