import Foundation
import VehicleData

/// Splits a `notify` template into parts: `{{vin}}`, `{{rule}}`, `{{bundle}}`, field
/// aliases and `{{age(alias)}}` (spaces inside the braces allowed); anything else is
/// reported at its exact position in the file.
enum TemplateChecker {
    static let builtins = ["vin", "rule", "bundle", "time", "vehicle.name"]

    static func check(_ text: EmbeddedText, _ ctx: inout CheckContext) -> Template? {
        let s = Array(text.text.unicodeScalars)
        var parts: [Template.Part] = []
        var literal = String.UnicodeScalarView()
        var ok = true
        var i = 0
        func flush() {
            if !literal.isEmpty { parts.append(.text(String(literal))); literal = String.UnicodeScalarView() }
        }
        while i < s.count {
            guard s[i] == "{", i + 1 < s.count, s[i + 1] == "{" else {
                literal.append(s[i]); i += 1
                continue
            }
            var j = i + 2
            while j + 1 < s.count, !(s[j] == "}" && s[j + 1] == "}") { j += 1 }
            guard j + 1 < s.count else {
                ctx.report("expression-syntax", "`{{` is not closed by `}}`", at: text.map.range(i, i + 2, in: ctx.source))
                return nil
            }
            var a = i + 2, b = j
            while a < b, s[a] == " " { a += 1 }
            while b > a, s[b - 1] == " " { b -= 1 }
            let name = String(String.UnicodeScalarView(s[a..<b]))
            flush()
            switch name {
            case "vin": parts.append(.vin)
            case "rule": parts.append(.rule)
            case "bundle": parts.append(.bundle)
            case "time": parts.append(.time)
            case "vehicle.name": parts.append(.vehicleName)
            default:
                if let f = Catalog.field(named: name) {
                    parts.append(.field(f.id))
                } else if let alias = ageArgument(name) {
                    if let f = Catalog.field(named: alias) {
                        parts.append(.age(f.id))
                    } else {
                        ok = false
                        ctx.report("unknown-template-name", "`{{\(name)}}`: `\(alias)` is not a field; `age` takes a field",
                                   at: text.map.range(i, j + 2, in: ctx.source),
                                   notes: Suggestion.note(for: alias, in: Catalog.fields.map(\.alias)))
                    }
                } else {
                    ok = false
                    let candidates = builtins + Catalog.fields.map(\.alias)
                    ctx.report("unknown-template-name", "`{{\(name)}}` names no field; templates use vin, rule, bundle, time, vehicle.name or a field",
                               at: text.map.range(i, j + 2, in: ctx.source), notes: Suggestion.note(for: name, in: candidates))
                }
            }
            i = j + 2
        }
        flush()
        return ok ? Template(parts: parts, source: text.text) : nil
    }

    /// The argument of `age( alias )` (spaces allowed), nil when `name` is not that form.
    static func ageArgument(_ name: String) -> String? {
        guard name.hasPrefix("age"), name.hasSuffix(")") else { return nil }
        let rest = name.dropFirst(3).drop { $0 == " " }
        guard rest.first == "(" else { return nil }
        return String(rest.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
    }
}
