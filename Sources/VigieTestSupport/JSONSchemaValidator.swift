import Foundation
import Synchronization
import VehicleData

/// One place where an instance breaks its schema: a JSON path (`$.triggerParam.triggers[0].name`)
/// and what is wrong.
package struct JSONSchemaViolation: Sendable, Hashable, CustomStringConvertible {
    package var path: String
    package var message: String
    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    package var description: String { "\(path): \(message)" }
}

/// Validates JSON values against the JSON-Schema subset the OpenAPI files use:
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `pattern`,
/// `minItems`/`maxItems`, `minLength`/`maxLength`, `minimum`/`maximum`, `oneOf`/`anyOf`/`allOf`,
/// `$ref` (local), `nullable`. `format`, `default`, `example`, `description` and
/// `discriminator` are ignored.
///
/// Known deviations, chosen because the official files are not strictly valid schemas:
/// - `oneOf` is checked as `anyOf` (at least one branch): the files use overlapping branches
///   (e.g. `Attribute.value` is `oneOf: [string, string enum]`, which no string could satisfy
///   under the strict reading).
/// - Patterns listed in `patternOverrides` are replaced before use. By default the two broken
///   trigger-name patterns of `MonitorTrigger.name` (written with stray quotes and the range
///   `[.-_]`) are replaced by the documented intent `^[a-zA-Z]+[._-]?[0-9]*$`.
/// - A pattern that does not compile as a regular expression is skipped and recorded in
///   `skippedPatterns` (never a crash, never a false violation).
/// - A `$ref` that does not resolve is reported as a violation at the referring path.
package final class JSONSchemaValidator: Sendable {
    package static let defaultPatternOverrides: [String: String] = [
        "\"[a-zA-Z]+[.-_]?[0-9]*\"": "^[a-zA-Z]+[._-]?[0-9]*$",
        "\"[a-zA-Z]+[._]?[0-9]*\"": "^[a-zA-Z]+[._-]?[0-9]*$",
    ]

    package let document: OpenAPIDocument
    package let patternOverrides: [String: String]
    /// Patterns that could not be compiled (skipped), in the order met.
    package var skippedPatterns: [String] { patterns.withLock { $0.skipped } }
    private let patterns = Mutex(CompiledPatterns())

    /// The patterns compiled so far (`nil`: did not compile) and those skipped, in the order met.
    private struct CompiledPatterns {
        var cache: [String: NSRegularExpression?] = [:]
        var skipped: [String] = []
    }

    package init(document: OpenAPIDocument, patternOverrides: [String: String] = JSONSchemaValidator.defaultPatternOverrides) {
        self.document = document
        self.patternOverrides = patternOverrides
    }

    /// Validates `instance` against `components.schemas[schemaName]`.
    package func validate(_ instance: OpenAPIValue, schemaNamed schemaName: String) throws -> [JSONSchemaViolation] {
        guard let schema = document.schema(named: schemaName) else { throw OpenAPIError.noSchema(schemaName) }
        return validate(instance, against: schema)
    }

    /// Encodes `value` with JSONEncoder and validates it against `components.schemas[schemaName]`.
    package func validate<T: Encodable>(encoding value: T, schemaNamed schemaName: String) throws -> [JSONSchemaViolation] {
        try validate(JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value)), schemaNamed: schemaName)
    }

    /// Validates `instance` against an explicit schema (which may hold local `$ref`s).
    package func validate(_ instance: OpenAPIValue, against schema: OpenAPIValue, path: String = "$") -> [JSONSchemaViolation] {
        var out: [JSONSchemaViolation] = []
        check(instance, schema, path, depth: 0, into: &out)
        return out
    }

    // MARK: - Checking

    private func check(_ value: OpenAPIValue, _ schema: OpenAPIValue, _ path: String, depth: Int,
                       into out: inout [JSONSchemaViolation]) {
        guard depth < 64 else {
            out.append(.init(path: path, message: "schema nesting too deep (cyclic $ref?)"))
            return
        }
        guard case .object(let s) = schema else { return }  // `true`/`{}`-like schemas accept anything
        if let ref = s["$ref"]?.stringValue {
            guard let target = document.resolve(ref: ref) else {
                out.append(.init(path: path, message: "unresolvable $ref \(ref)"))
                return
            }
            check(value, target, path, depth: depth + 1, into: &out)
        }
        if value == .null, s["nullable"]?.boolValue == true { return }
        checkCombinators(value, s, path, depth: depth, into: &out)
        if let type = s["type"]?.stringValue, !matches(value, type: type) {
            out.append(.init(path: path, message: "expected \(type), found \(value.schemaTypeName)"))
            return
        }
        if let allowed = s["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.map { $0.stringValue ?? "\($0)" }.joined(separator: ", ")
            out.append(.init(path: path, message: "\(describe(value)) is not one of [\(list)]"))
        }
        switch value {
        case .object(let o): checkObject(o, s, path, depth: depth, into: &out)
        case .array(let a): checkArray(a, s, path, depth: depth, into: &out)
        case .string(let str): checkString(str, s, path, into: &out)
        case .number(let n): checkNumber(n, s, path, into: &out)
        default: break
        }
    }

    private func checkCombinators(_ value: OpenAPIValue, _ s: [String: OpenAPIValue], _ path: String, depth: Int,
                                  into out: inout [JSONSchemaViolation]) {
        for sub in s["allOf"]?.arrayValue ?? [] {
            check(value, sub, path, depth: depth + 1, into: &out)
        }
        for key in ["anyOf", "oneOf"] {
            guard let branches = s[key]?.arrayValue, !branches.isEmpty else { continue }
            var closest: [JSONSchemaViolation]? = nil
            var matched = false
            for branch in branches {
                var local: [JSONSchemaViolation] = []
                check(value, branch, path, depth: depth + 1, into: &local)
                if local.isEmpty { matched = true; break }
                if closest == nil || local.count < closest!.count { closest = local }
            }
            if !matched {
                out.append(.init(path: path, message: "matches no branch of \(key); closest: "
                                 + (closest ?? []).map(\.description).joined(separator: "; ")))
            }
        }
    }

    private func checkObject(_ o: [String: OpenAPIValue], _ s: [String: OpenAPIValue], _ path: String, depth: Int,
                             into out: inout [JSONSchemaViolation]) {
        let properties = s["properties"]?.objectValue ?? [:]
        for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[name] == nil {
            out.append(.init(path: path, message: "missing required property \(name)"))
        }
        for key in o.keys.sorted() {
            let child = "\(path).\(key)"
            if let sub = properties[key] {
                check(o[key]!, sub, child, depth: depth + 1, into: &out)
            } else if let extra = s["additionalProperties"] {
                if extra == .bool(false) {
                    out.append(.init(path: child, message: "property not allowed here"))
                } else if case .object = extra {
                    check(o[key]!, extra, child, depth: depth + 1, into: &out)
                }
            }
        }
    }

    private func checkArray(_ a: [OpenAPIValue], _ s: [String: OpenAPIValue], _ path: String, depth: Int,
                            into out: inout [JSONSchemaViolation]) {
        if let min = s["minItems"]?.doubleValue, Double(a.count) < min {
            out.append(.init(path: path, message: "has \(a.count) items, fewer than minItems \(Int(min))"))
        }
        if let max = s["maxItems"]?.doubleValue, Double(a.count) > max {
            out.append(.init(path: path, message: "has \(a.count) items, more than maxItems \(Int(max))"))
        }
        if let items = s["items"] {
            for (i, item) in a.enumerated() {
                check(item, items, "\(path)[\(i)]", depth: depth + 1, into: &out)
            }
        }
    }

    private func checkString(_ str: String, _ s: [String: OpenAPIValue], _ path: String,
                             into out: inout [JSONSchemaViolation]) {
        let length = str.unicodeScalars.count
        if let min = s["minLength"]?.doubleValue, Double(length) < min {
            out.append(.init(path: path, message: "is shorter than minLength \(Int(min))"))
        }
        if let max = s["maxLength"]?.doubleValue, Double(length) > max {
            out.append(.init(path: path, message: "is longer than maxLength \(Int(max))"))
        }
        if let pattern = s["pattern"]?.stringValue, let regex = regex(for: pattern) {
            let range = NSRange(str.startIndex..., in: str)
            if regex.firstMatch(in: str, range: range) == nil {
                out.append(.init(path: path, message: "\(describe(.string(str))) does not match pattern \(regex.pattern)"))
            }
        }
    }

    private func checkNumber(_ n: Double, _ s: [String: OpenAPIValue], _ path: String,
                             into out: inout [JSONSchemaViolation]) {
        if let min = s["minimum"]?.doubleValue {
            let exclusive = s["exclusiveMinimum"]?.boolValue == true
            if exclusive ? n <= min : n < min {
                out.append(.init(path: path, message: "\(format(n)) is below the minimum \(format(min))"))
            }
        }
        if let max = s["maximum"]?.doubleValue {
            let exclusive = s["exclusiveMaximum"]?.boolValue == true
            if exclusive ? n >= max : n > max {
                out.append(.init(path: path, message: "\(format(n)) is above the maximum \(format(max))"))
            }
        }
    }

    // MARK: - Helpers

    private func matches(_ value: OpenAPIValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
             ("number", .number), ("null", .null):
            return true
        case ("integer", .number(let n)):
            return n.rounded() == n
        default:
            return false
        }
    }

    private func regex(for pattern: String) -> NSRegularExpression? {
        patterns.withLock { compiled in
            if let cached = compiled.cache[pattern] { return cached }
            let effective = patternOverrides[pattern] ?? pattern
            let regex = try? NSRegularExpression(pattern: effective)
            if regex == nil { compiled.skipped.append(pattern) }
            compiled.cache[pattern] = regex
            return regex
        }
    }

    private func describe(_ value: OpenAPIValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .number(let n): return format(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    private func format(_ n: Double) -> String {
        n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }
}
