/// Maps a monitor event's `values` (`[{data, value}]`) onto fields (SEMANTICS.md, "Replay
/// `message` lines"): each `data` path updates the field watched through it
/// (`Catalog.field(forMonitorPath:)`: the SEMANTICS table, plus the fields appended to the
/// catalog since, e.g. `vehicle.powertrain.status`). The three paths whose field is
/// derived map back as the status does: `vehicle.alarm.status.activation`
/// (`Active`/`Inactive`) updates `alarm.active`; `vehicle.doorsState.lockedState` (a
/// state or a list of states) `doors.locked`, by `StatusDecoder.isLocked`;
/// `vehicle.preconditioning.airConditioning` (the status, or an object with `status`)
/// `preconditioning.status`. `vehicle.alert` carries only the alerts that matched, not
/// the set of active ones, so it updates nothing; nor do paths no field maps onto.
///
/// A `value` may be a literal (`"18"`, `"true"`, `"InProgress"`), a JSON number or
/// boolean, the webhook schema's `{type: string, body: {literalValue: "18"}}`, or a
/// one-item array of any of those. Unparseable values update nothing and warn.
public enum MonitorValueMapping {
    public static func decode(values: [JSONValue]) -> (observation: Observation, warnings: [DecodeWarning]) {
        decodeNodes(values)
    }

    static func decodeNodes<N: JSONNode>(_ values: [N]) -> (observation: Observation, warnings: [DecodeWarning]) {
        var reader = PayloadReader()
        for (i, item) in values.enumerated() {
            let at = "values[\(i)]"
            guard item.isObject else {
                reader.warn(field: at, value: item, at: at, "expected {data, value}; ignored")
                continue
            }
            guard let data = item["data"]?.stringValue else {
                reader.warn(field: at, value: item, at: at + ".data", "missing data path; ignored")
                continue
            }
            guard let target = target(for: data), let value = item["value"], !value.isNull else { continue }
            decode(value, at: "\(at).value (\(data))", into: target, &reader)
        }
        return (reader.observation, reader.warnings)
    }

    private enum Target {
        case field(Field)
        case alarmActive
        case doorsLocked
        case airConditioning
    }

    private static func target(for path: String) -> Target? {
        switch path {
        case "vehicle.alarm.status.activation": return .alarmActive
        case "vehicle.doorsState.lockedState": return .doorsLocked
        case "vehicle.preconditioning.airConditioning": return .airConditioning
        case "vehicle.alert": return nil
        default: return Catalog.field(forMonitorPath: path).map(Target.field)
        }
    }

    private static func decode<N: JSONNode>(_ value: N, at path: String, into target: Target, _ reader: inout PayloadReader) {
        if case .doorsLocked = target { return decodeLockedState(value, at: path, &reader) }
        let unwrapped: N
        if case .airConditioning = target, let status = value["status"] { unwrapped = status } else { unwrapped = value }
        guard let literal = literal(unwrapped) else {
            let field = switch target {
            case .field(let f): f.alias
            case .alarmActive: "alarm.active"
            case .doorsLocked: "doors.locked"
            case .airConditioning: "preconditioning.status"
            }
            reader.warn(field: field, value: value, at: path, "not a single literal value; ignored")
            return
        }
        switch target {
        case .alarmActive:
            let text = literal.stringValue ?? ""
            guard text == "Active" || text == "Inactive" else {
                reader.warn(field: KnownField.alarmActive, value: literal, at: path, "not Active or Inactive; ignored")
                return
            }
            reader.observation[KnownField.alarmActive] = .bool(text == "Active")
        case .airConditioning:
            decode(literal, at: path, into: Catalog[KnownField.preconditioningStatus], &reader)
        case .doorsLocked:
            break  // decoded above
        case .field(let field):
            decode(literal, at: path, into: field, &reader)
        }
    }

    /// `"Locked"`, `["Locked", "TrunkUnLocked"]` or the webhook's literal wrapping of either.
    private static func decodeLockedState<N: JSONNode>(_ value: N, at path: String, _ reader: inout PayloadReader) {
        var states: [String] = []
        let items: [N] = value.arrayItems ?? [value]
        for item in items {
            guard let text = literal(item)?.stringValue else {
                return reader.warn(field: KnownField.doorsLocked, value: value, at: path,
                                   "expected a locked state or a list of them; ignored")
            }
            states.append(text)
        }
        if states.isEmpty {
            return reader.warn(field: KnownField.doorsLocked, value: value, at: path,
                               "expected a locked state or a list of them; ignored")
        }
        reader.observation[KnownField.doorsLocked] = .bool(StatusDecoder.isLocked(states))
    }

    private static func decode<N: JSONNode>(_ literal: N, at path: String, into field: Field, _ reader: inout PayloadReader) {
        switch field.type {
        case .number:
            if let n = literal.doubleValue, n.isFinite {
                reader.observation[field.id] = .number(n)
                return
            }
            if let s = literal.stringValue {
                guard let n = parseNumber(s) else {
                    return reader.warn(field: field.id, value: literal, at: path, "expected a number; ignored")
                }
                reader.observation[field.id] = .number(n)
                return
            }
        case .bool:
            if let b = literal.boolValue {
                reader.observation[field.id] = .bool(b)
                return
            }
            if let s = literal.stringValue, ["true", "false"].contains(s.lowercased()) {
                reader.observation[field.id] = .bool(s.lowercased() == "true")
                return
            }
        case .enumeration:
            if let s = literal.stringValue {
                reader.setMember(JSONValue.string(s), at: path, field: field.id)
                return
            }
        default:
            break
        }
        reader.warn(field: field.id, value: literal, at: path, "does not fit the field's type; ignored")
    }

    /// The scalar inside a value: itself, `body.literalValue`, or the only item of an array.
    private static func literal<N: JSONNode>(_ value: N) -> N? {
        if value.stringValue != nil || value.doubleValue != nil || value.boolValue != nil { return value }
        if let items = value.arrayItems { return items.count == 1 ? literal(items[0]) : nil }
        if value.isObject {
            if let inner = value["body"]?["literalValue"] ?? value["literalValue"] { return literal(inner) }
        }
        return nil
    }

    /// "18", "18.5", " 18 ", and the API's decimal comma "18,5".
    static func parseNumber(_ text: String) -> Double? {
        // The common case, plain ASCII digits without spaces or a comma, read at once.
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20, last > 0x20,
           text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: ",") }) {
            guard let n = Double(text), n.isFinite else { return nil }
            return n
        }
        var s = text.trimmingSpaces()
        if !s.contains("."), s.filter({ $0 == "," }).count == 1 { s = s.map { $0 == "," ? "." : $0 }.reduce("") { $0 + String($1) } }
        guard let n = Double(s), n.isFinite else { return nil }
        return n
    }
}

private extension String {
    func trimmingSpaces() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
