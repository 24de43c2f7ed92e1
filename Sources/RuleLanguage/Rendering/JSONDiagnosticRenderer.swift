import VehicleData

/// Renders diagnostics as one JSON document with sorted keys:
/// `{"diagnostics": [{"code", "column", "endColumn", "endLine", "file", "line",
/// "message", "notes", "severity"}], "summary": {"bundles", "errors", "files",
/// "omitted", "rules", "warnings"}}`. Lines and columns are 1-based; columns count
/// Unicode scalar values.
public struct JSONDiagnosticRenderer: Sendable {
    public init() {}

    public func render(_ report: DiagnosticReport) -> String {
        CanonicalJSON.text(json(report)) + "\n"
    }

    public func json(_ report: DiagnosticReport) -> JSONValue {
        .object([
            "diagnostics": .array(report.diagnostics.map(Self.json)),
            "summary": .object([
                "files": .number(Double(report.summary.files)),
                "bundles": .number(Double(report.summary.bundles)),
                "rules": .number(Double(report.summary.rules)),
                "errors": .number(Double(report.summary.errors)),
                "warnings": .number(Double(report.summary.warnings)),
                "omitted": .number(Double(report.omitted)),
            ]),
        ])
    }

    static func json(_ d: Diagnostic) -> JSONValue {
        .object([
            "file": .string(d.range.file),
            "line": .number(Double(d.range.start.line)),
            "column": .number(Double(d.range.start.column)),
            "endLine": .number(Double(d.range.end.line)),
            "endColumn": .number(Double(d.range.end.column)),
            "severity": .string(d.severity.rawValue),
            "code": .string(d.code),
            "message": .string(d.message),
            "notes": .array(d.notes.map(JSONValue.string)),
        ])
    }
}
