/// Reads values out of a JSON payload into an observation, collecting a warning for each
/// value of the wrong type or outside its enum instead of failing. `null` and missing
/// values are simply absent (SEMANTICS.md: they keep the previous value).
struct PayloadReader {
    var observation = Observation(values: Dictionary(minimumCapacity: 32))
    var warnings: [DecodeWarning] = []

    // MARK: containers

    /// The value when it is an object; nil when missing or null; a warning otherwise.
    mutating func object<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String) -> N? {
        guard let value, !value.isNull else { return nil }
        if value.isObject { return value }
        warn(field: path(), value: value, at: path(), "expected an object; ignored")
        return nil
    }

    /// The items when an array; nil when missing or null; a warning otherwise.
    mutating func array<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: String) -> [N]? {
        guard let value, !value.isNull else { return nil }
        if let items = value.arrayItems { return items }
        warn(field: field, value: value, at: path(), "expected an array; ignored")
        return nil
    }

    // MARK: scalars

    mutating func number<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: FieldID) -> Double? {
        guard let value, !value.isNull else { return nil }
        if let n = value.doubleValue, n.isFinite { return n }
        warn(field: field, value: value, at: path(), "expected a number; ignored")
        return nil
    }

    mutating func string<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: FieldID) -> String? {
        guard let value, !value.isNull else { return nil }
        if let s = value.stringValue { return s }
        warn(field: field, value: value, at: path(), "expected a string; ignored")
        return nil
    }

    mutating func setNumber<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: FieldID) {
        if let n = number(value, at: path(), field: field) { observation[field] = .number(n) }
    }

    mutating func setBool<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: FieldID) {
        guard let value, !value.isNull else { return }
        if let b = value.boolValue {
            observation[field] = .bool(b)
        } else {
            warn(field: field, value: value, at: path(), "expected true or false; ignored")
        }
    }

    /// An enum value: kept even when it is not a documented member (with a warning).
    mutating func setMember<N: JSONNode>(_ value: N?, at path: @autoclosure () -> String, field: FieldID) {
        guard let raw = string(value, at: path(), field: field) else { return }
        observation[field] = .member(raw)
        checkMember(raw, at: path(), field: field)
    }

    /// Warns when `raw` is not one of the field's documented members.
    mutating func checkMember(_ raw: String, at path: @autoclosure () -> String, field: FieldID) {
        guard let members = Self.members[field.index], !members.contains(raw) else { return }
        let list = members.count > 8 ? "\(members.count) documented members" : Self.memberList[field.index]
        warn(field: field, value: JSONValue.string(raw), at: path(), "not a documented member (\(list)); kept, equals no member")
    }

    /// Per field index: the documented members of enum fields (nil for other fields).
    private static let members: [Set<String>?] = Catalog.fields.map { field in
        switch field.type {
        case .enumeration(let m), .enumSet(let m): return Set(m)
        default: return nil
        }
    }

    private static let memberList: [String] = Catalog.fields.map { field in
        switch field.type {
        case .enumeration(let m), .enumSet(let m): return m.joined(separator: ", ")
        default: return ""
        }
    }

    // MARK: warnings

    mutating func warn<N: JSONNode>(field: FieldID, value: N, at path: @autoclosure () -> String, _ problem: String) {
        warn(field: Catalog[field].alias, value: value, at: path(), problem)
    }

    mutating func warn<N: JSONNode>(field: String, value: N, at path: @autoclosure () -> String, _ problem: String) {
        let text = Self.compactJSON(value.jsonValue)
        warnings.append(DecodeWarning(field: field, value: text, message: "\(path()): \(text): \(problem)"))
    }

    /// A short, deterministic JSON rendering of a value for warnings (sorted keys,
    /// truncated past 80 characters).
    static func compactJSON(_ value: JSONValue) -> String {
        var out = ""
        render(value, into: &out, budget: 80)
        return out.count > 80 ? String(out.prefix(77)) + "..." : out
    }

    private static func render(_ value: JSONValue, into out: inout String, budget: Int) {
        guard out.count <= budget else { return }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            out += (n.rounded() == n && abs(n) < 1e15) ? String(Int64(n)) : String(describing: n)
        case .string(let s): out += quoted(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                render(item, into: &out, budget: budget)
                if out.count > budget { break }
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += quoted(key) + ":"
                render(members[key]!, into: &out, budget: budget)
                if out.count > budget { break }
            }
            out += "}"
        }
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
