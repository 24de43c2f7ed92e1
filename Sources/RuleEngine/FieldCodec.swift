import VehicleData

/// Packs field values into two doubles per field (the engine's flat state arrays) and
/// back. Numbers and booleans (0/1) sit in `a`; an enum value is its member index, or
/// `extraBase` + an interned id for a value outside the documented members (kept, and
/// equal to no member); a set is an interned id; a point is (latitude, longitude).
final class FieldCodec {
    static let extraBase = 1_000_000.0
    private let members: [[String]]
    /// Per field: 0 number, 1 bool, 2 enum, 3 set, 4 point (no catalog lookups per value).
    private let kinds: [UInt8]
    private var extras: [String] = []
    private var extraIndex: [String: Int] = [:]
    private var sets: [[String]] = []
    private var setIndex: [[String]: Int] = [:]

    init() {
        kinds = Catalog.fields.map { field in
            switch field.type {
            case .number: return 0
            case .bool: return 1
            case .enumeration: return 2
            case .enumSet: return 3
            case .point: return 4
            }
        }
        members = Catalog.fields.map { field in
            switch field.type {
            case .enumeration(let m), .enumSet(let m): return m
            default: return []
            }
        }
    }

    /// Whether field `f` holds numbers (its packed value is the number itself).
    @inline(__always) func isNumber(_ f: Int) -> Bool { kinds[f] == 0 }

    /// The code of enum member `name` of `field` (`-1` when it is not a member).
    func memberCode(_ field: FieldID, _ name: String) -> Double {
        if let i = members[field.index].firstIndex(of: name) { return Double(i) }
        return -1
    }

    /// Nil when the value's kind does not fit the field's type.
    func encode(_ field: FieldID, _ value: FieldValue) -> (Double, Double)? {
        switch (kinds[field.index], value) {
        case (0, .number(let n)): return (n, 0)
        case (1, .bool(let b)): return (b ? 1 : 0, 0)
        case (2, .member(let name)):
            if let i = members[field.index].firstIndex(of: name) { return (Double(i), 0) }
            if let e = extraIndex[name] { return (FieldCodec.extraBase + Double(e), 0) }
            extras.append(name)
            extraIndex[name] = extras.count - 1
            return (FieldCodec.extraBase + Double(extras.count - 1), 0)
        case (3, .set(let names)):
            let key = names.sorted()
            if let s = setIndex[key] { return (Double(s), 0) }
            sets.append(key)
            setIndex[key] = sets.count - 1
            return (Double(sets.count - 1), 0)
        case (4, .point(let lat, let lon)): return (lat, lon)
        default: return nil
        }
    }

    func decode(_ field: FieldID, _ a: Double, _ b: Double) -> FieldValue {
        switch Catalog.fields[field.index].type {
        case .number: return .number(a)
        case .bool: return .bool(a != 0)
        case .enumeration:
            if a >= FieldCodec.extraBase { return .member(extras[Int(a - FieldCodec.extraBase)]) }
            return .member(members[field.index][Int(a)])
        case .enumSet: return .set(sets[Int(a)])
        case .point: return .point(latitude: a, longitude: b)
        }
    }

    /// Whether set code `code` holds `member`.
    func set(_ code: Double, contains member: String) -> Bool {
        sets[Int(code)].contains(member)
    }
}

extension FieldValue {
    /// The snapshot / JSON form: number, bool, member string, list of members, {lat, lon}.
    public var jsonValue: JSONValue {
        switch self {
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .member(let m): return .string(m)
        case .set(let s): return .array(s.map { .string($0) })
        case .point(let lat, let lon): return .object(["lat": .number(lat), "lon": .number(lon)])
        }
    }

    /// Reads a value of `field`'s type from its JSON form (rule-language units; enum
    /// members by name, kept even when not documented). Nil when the kind is wrong.
    public init?(json: JSONValue, for field: Field) {
        switch (field.type, json) {
        case (.number, .number(let n)): self = .number(n)
        case (.bool, .bool(let b)): self = .bool(b)
        case (.enumeration, .string(let s)): self = .member(s)
        case (.enumSet, .array(let a)) where a.allSatisfy({ $0.stringValue != nil }):
            self = .set(a.compactMap(\.stringValue))
        case (.point, .object(let o)):
            guard let lat = o["lat"]?.doubleValue, let lon = o["lon"]?.doubleValue, o.count == 2,
                  (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
            self = .point(latitude: lat, longitude: lon)
        default: return nil
        }
    }
}
