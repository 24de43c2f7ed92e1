import Foundation
import RuleLanguage
import VehicleData

/// Markdown tables generated from the code, for docs/rule-language.md (a test keeps
/// the doc in step): the fields of the data catalog and the diagnostic codes.
/// `vigie schema --fields` and `vigie schema --diagnostics` print them.
package enum SchemaReference {
    /// One row per catalog field: alias, type, unit, whether a monitor can watch it.
    package static func fieldsTable(_ fields: [Field] = Catalog.fields) -> String {
        var out = "| field | type | unit | monitor can watch it (ops) | meaning |\n| --- | --- | --- | --- | --- |\n"
        for f in fields {
            let monitor = f.monitor.map { m in
                "yes (" + MonitorOp.allCases.filter { m.ops.contains($0) }.map(\.rawValue).joined(separator: ", ") + ")"
            } ?? "no"
            out += "| `\(f.alias)` | \(typeName(f)) | \(unit(f.type)) | \(monitor) | \(escape(f.summary)) |\n"
        }
        return out
    }

    /// One row per diagnostic code: code, default severity, what it means.
    package static func diagnosticsTable(_ codes: [DiagnosticCode] = DiagnosticCode.all) -> String {
        var out = "| code | severity | meaning |\n| --- | --- | --- |\n"
        for c in codes {
            out += "| `\(c.id)` | \(c.severity.rawValue) | \(escape(c.summary)) |\n"
        }
        return out
    }

    static func typeName(_ f: Field) -> String {
        switch f.type {
        case .number: return f.isIntegral ? "integer" : "number"
        case .bool: return "bool"
        case .point: return "point"
        case .enumeration(let names): return "enum: " + members(names)
        case .enumSet(let names): return "set of enum: " + members(names)
        }
    }

    static func members(_ names: [String]) -> String {
        names.count <= 16 ? names.joined(separator: ", ")
            : "\(names.count) members (see [fields.md](fields.md#enum-members))"
    }

    static func unit(_ type: ValueType) -> String {
        if case .number(let dimension) = type, !dimension.canonicalUnit.isEmpty { return dimension.canonicalUnit }
        return "—"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
