import RuleEngine
import VehicleData

/// The fast path of the commonest replay line, `{"at": "…Z", "vin": "…", "set": {field:
/// value, …}}`, read straight from its bytes into field values (no `JSONValue`, no
/// `String` per key). It takes only what it reads exactly as the general path
/// (`ReplayEvents.parseLine`) would: ASCII, no escapes, `at` in the form
/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, numbers of at most 15 significant digits without an
/// exponent (then `m / 10^k` is the correctly rounded value, as `Double(text)` gives),
/// each key once, fields of the catalog with values of their type. Anything else
/// returns nil and the line goes the general way, which also words every error.
struct ReplaySetLine {
    /// What a field's value reads as.
    enum Kind: UInt8 { case number, bool, member, point, other }

    /// Field aliases, flat: alias k is `aliases[aliasStart[k]..<aliasStart[k + 1]]`; the
    /// aliases of length n are `byLength[lengthStart[n]..<lengthStart[n + 1]]`.
    private let aliases: [UInt8]
    private let aliasStart: [Int]
    private let ids: [FieldID]
    private let kinds: [Kind]
    private let byLength: [Int]
    private let lengthStart: [Int]
    /// The last `at` read and its value (consecutive lines often share it).
    private var lastAtBytes: [UInt8] = []
    private var lastAt: Millis = 0
    static let maxAlias = 64

    init() {
        var aliases: [UInt8] = [], aliasStart = [0], ids: [FieldID] = [], kinds: [Kind] = []
        for field in Catalog.fields {
            aliases += Array(field.alias.utf8)
            aliasStart.append(aliases.count)
            ids.append(field.id)
            switch field.type {
            case .number: kinds.append(.number)
            case .bool: kinds.append(.bool)
            case .enumeration: kinds.append(.member)
            case .point: kinds.append(.point)
            case .enumSet: kinds.append(.other)
            }
        }
        var byLength: [Int] = [], lengthStart = [0]
        for n in 0...Self.maxAlias {
            byLength += ids.indices.filter { aliasStart[$0 + 1] - aliasStart[$0] == n }
            lengthStart.append(byLength.count)
        }
        self.aliases = aliases
        self.aliasStart = aliasStart
        self.ids = ids
        self.kinds = kinds
        self.byLength = byLength
        self.lengthStart = lengthStart
    }

    struct Parsed {
        var at: Millis
        /// The VIN's bytes within the line.
        var vin: Range<Int>
    }

    /// Reads `line` (trimmed, ASCII); its values are appended to `values` sorted by field
    /// (removed again when the line is not taken). `vehicles` gets a prefetch hint for the
    /// line's VIN as soon as it is read.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>, into values: inout [(FieldID, FieldValue)],
                        vehicles: ReplayVehicleTable) -> Parsed? {
        let mark = values.count
        var cursor = Cursor(b: line)
        guard let parsed = read(&cursor, into: &values, vehicles: vehicles) else {
            values.removeSubrange(mark...)
            return nil
        }
        var sorted = true
        var k = mark + 1
        while k < values.count {
            if values[k - 1].0 > values[k].0 { sorted = false; break }
            k += 1
        }
        if !sorted { values[mark...].sort { $0.0 < $1.0 } }
        return parsed
    }

    /// A position in the line and the JSON tokens this path reads.
    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

        @inline(__always) mutating func space() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        @inline(__always) mutating func eat(_ c: UInt8) -> Bool {
            space()
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }

        /// A string without escapes or control characters: its bytes' range.
        mutating func string() -> Range<Int>? {
            guard eat(UInt8(ascii: "\"")) else { return nil }
            let start = i
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") { i += 1; return start..<(i - 1) }
                if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
                i += 1
            }
            return nil
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= b.count else { return false }
            for k in 0..<count where b[i + k] != word.utf8Start[k] { return false }
            i += count
            return true
        }

        /// `-?int(.frac)?` with at most 15 significant digits, no leading zero, no
        /// exponent: `m / 10^k` is then the correctly rounded value `Double(text)` gives.
        mutating func number() -> Double? {
            var negative = false
            if i < b.count, b[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let intStart = i
            var mantissa: UInt64 = 0, digits = 0, scale = 0
            while i < b.count, b[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30)
                digits += 1
                i += 1
            }
            guard i > intStart, !(i - intStart > 1 && b[intStart] == UInt8(ascii: "0")) else { return nil }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                let fracStart = i
                while i < b.count, b[i] &- 0x30 < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30)
                    digits += 1
                    i += 1
                }
                scale = i - fracStart
                guard scale > 0 else { return nil }
            }
            if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") { return nil }
            guard digits <= 15, scale <= 22 else { return nil }
            let value = Double(mantissa) / ReplaySetLine.powersOfTen[scale]
            return negative ? -value : value
        }
    }

    static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    private mutating func read(_ c: inout Cursor, into values: inout [(FieldID, FieldValue)],
                               vehicles: ReplayVehicleTable) -> Parsed? {
        guard c.eat(UInt8(ascii: "{")) else { return nil }
        var at: Millis?, vin: Range<Int>?, sawSet = false
        while true {
            guard let key = c.string(), c.eat(UInt8(ascii: ":")) else { return nil }
            let k0 = c.b[key.lowerBound]
            if key.count == 2, k0 == UInt8(ascii: "a"), c.b[key.lowerBound + 1] == UInt8(ascii: "t") {
                guard at == nil, let r = c.string(), let t = time(c.b, r) else { return nil }
                at = t
            } else if key.count == 3, k0 == UInt8(ascii: "v"), c.b[key.lowerBound + 1] == UInt8(ascii: "i"),
                      c.b[key.lowerBound + 2] == UInt8(ascii: "n") {
                guard vin == nil, let r = c.string(), !r.isEmpty else { return nil }
                vin = r
                vehicles.prefetch(UnsafeBufferPointer(rebasing: c.b[r]))
            } else if key.count == 3, k0 == UInt8(ascii: "s"), c.b[key.lowerBound + 1] == UInt8(ascii: "e"),
                      c.b[key.lowerBound + 2] == UInt8(ascii: "t") {
                guard !sawSet, readSet(&c, into: &values) else { return nil }
                sawSet = true
            } else {
                return nil
            }
            if c.eat(UInt8(ascii: ",")) { continue }
            guard c.eat(UInt8(ascii: "}")) else { return nil }
            break
        }
        c.space()
        guard c.i == c.b.count, let at, let vin, sawSet else { return nil }
        return Parsed(at: at, vin: vin)
    }

    /// The `set` object: each catalog field once, with a value of its type (null: none).
    private func readSet(_ c: inout Cursor, into values: inout [(FieldID, FieldValue)]) -> Bool {
        var seen: UInt64 = 0   // fields 0..<64 seen (a repeated key goes the general way)
        guard c.eat(UInt8(ascii: "{")) else { return false }
        if c.eat(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = c.string(), c.eat(UInt8(ascii: ":")), let k = lookup(c.b, key) else { return false }
            let id = ids[k]
            guard id.index < 64, seen & (1 << UInt64(id.index)) == 0 else { return false }
            seen |= 1 << UInt64(id.index)
            c.space()
            guard c.i < c.b.count else { return false }
            if c.b[c.i] == UInt8(ascii: "n") {
                guard c.literal("null") else { return false }
            } else {
                switch kinds[k] {
                case .number:
                    guard let x = c.number() else { return false }
                    values.append((id, .number(x)))
                case .bool:
                    if c.b[c.i] == UInt8(ascii: "t"), c.literal("true") { values.append((id, .bool(true))) }
                    else if c.b[c.i] == UInt8(ascii: "f"), c.literal("false") { values.append((id, .bool(false))) }
                    else { return false }
                case .member:
                    guard let r = c.string() else { return false }
                    values.append((id, .member(String(decoding: UnsafeBufferPointer(rebasing: c.b[r]), as: UTF8.self))))
                case .point:
                    guard let p = point(&c) else { return false }
                    values.append((id, p))
                case .other:
                    return false
                }
            }
            if c.eat(UInt8(ascii: ",")) { continue }
            return c.eat(UInt8(ascii: "}"))
        }
    }

    /// `{"lat": x, "lon": y}` in either order, both in range.
    private func point(_ c: inout Cursor) -> FieldValue? {
        guard c.eat(UInt8(ascii: "{")) else { return nil }
        var lat: Double?, lon: Double?
        for k in 0..<2 {
            guard let key = c.string(), key.count == 3, c.b[key.lowerBound] == UInt8(ascii: "l"), c.eat(UInt8(ascii: ":")) else {
                return nil
            }
            let isLat = c.b[key.lowerBound + 1] == UInt8(ascii: "a") && c.b[key.lowerBound + 2] == UInt8(ascii: "t")
            let isLon = c.b[key.lowerBound + 1] == UInt8(ascii: "o") && c.b[key.lowerBound + 2] == UInt8(ascii: "n")
            c.space()
            guard isLat || isLon, let x = c.number() else { return nil }
            if isLat {
                guard lat == nil else { return nil }
                lat = x
            } else {
                guard lon == nil else { return nil }
                lon = x
            }
            guard c.eat(k == 0 ? UInt8(ascii: ",") : UInt8(ascii: "}")) else { return nil }
        }
        guard let lat, let lon, (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        return .point(latitude: lat, longitude: lon)
    }

    /// The catalog index of the alias `b[key]`.
    @inline(__always)
    private func lookup(_ b: UnsafeBufferPointer<UInt8>, _ key: Range<Int>) -> Int? {
        let n = key.count
        guard n <= Self.maxAlias else { return nil }
        var j = lengthStart[n]
        let end = lengthStart[n + 1]
        candidates: while j < end {
            let k = byLength[j]
            j += 1
            let start = aliasStart[k]
            for d in 0..<n where aliases[start + d] != b[key.lowerBound + d] { continue candidates }
            return k
        }
        return nil
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…]Z`, valid as `RFC3339.parse` checks it; else nil (the
    /// general path then reads the line, other forms included).
    private mutating func time(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Millis? {
        let count = r.count
        if count == lastAtBytes.count, !lastAtBytes.isEmpty {
            var same = true
            for k in 0..<count where lastAtBytes[k] != b[r.lowerBound + k] { same = false; break }
            if same { return lastAt }
        }
        guard count >= 20, b[r.upperBound - 1] == UInt8(ascii: "Z") else { return nil }
        let s = r.lowerBound
        func d(_ k: Int) -> Int? {
            let c = b[s + k] &- 0x30
            return c < 10 ? Int(c) : nil
        }
        func two(_ k: Int) -> Int? {
            guard let a = d(k), let c = d(k + 1) else { return nil }
            return a * 10 + c
        }
        guard let y0 = two(0), let y1 = two(2), b[s + 4] == UInt8(ascii: "-"), let month = two(5), b[s + 7] == UInt8(ascii: "-"),
              let day = two(8), b[s + 10] == UInt8(ascii: "T"), let hour = two(11), b[s + 13] == UInt8(ascii: ":"),
              let minute = two(14), b[s + 16] == UInt8(ascii: ":"), let second = two(17) else { return nil }
        var millis = 0
        if count > 20 {
            guard b[s + 19] == UInt8(ascii: "."), count > 21 else { return nil }
            var scale = 100
            for k in 20..<(count - 1) {
                guard let digit = d(k) else { return nil }
                millis += digit * scale
                scale /= 10
            }
        }
        let year = y0 * 100 + y1
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(year, month), hour < 24, minute < 60, second < 60 else {
            return nil
        }
        let days = RFC3339.daysFromCivil(year, month, day)
        let t = (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000 + Int64(millis)
        lastAtBytes.removeAll(keepingCapacity: true)
        lastAtBytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[r]))
        lastAt = t
        return t
    }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
