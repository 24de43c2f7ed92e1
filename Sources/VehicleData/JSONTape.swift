/// A JSON document parsed in place into flat arrays — one entry per value and per object
/// key, each with the index just past its subtree — so that a replay line is read
/// without a `String` per key, a `Double(String)` per number or a dictionary per object.
/// Its nodes (`JSONTape.Node`) are read through `JSONNode`, like `JSONValue`.
///
/// It reads only what it reads exactly as VehicleData's parser (`JSONValue(parsing:)`)
/// does: ASCII text without escapes, nesting up to `maxDepth`, numbers of at most 15
/// significant digits without an exponent taken the fast way (`m / 10^k` is then the
/// correctly rounded value `Double(text)` gives) and others by `Double(text)` itself;
/// duplicate keys read as the first one. Anything else — a byte outside ASCII, an
/// escape, bad JSON — is refused (`parse` returns false) and the caller takes the
/// general path, which also words every error. One tape is reused line after line.
public final class JSONTape {
    enum Kind: UInt8 { case null, falseValue, trueValue, number, string, array, object, key }

    /// One value or key: a string's or key's content is `bytes[start..<end]`; `next` is
    /// the index just past its subtree.
    struct Entry {
        var kind: Kind
        var start: Int32
        var end: Int32
        var next: Int32
        var number: Double
    }

    static let maxDepth = 64

    private var entries: UnsafeMutablePointer<Entry>
    private var capacity: Int
    private var text = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    public init() {
        capacity = 256
        entries = .allocate(capacity: capacity)
    }

    deinit { entries.deallocate() }

    /// Parses `text`, which must stay valid while the nodes are read; true when read.
    public func parse(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        // Offsets are 32-bit: a longer text goes the general way.
        guard text.baseAddress != nil, text.count < Int(Int32.max) else { return false }
        self.text = text
        var parser = Parser(bytes: text, entries: entries, capacity: capacity)
        defer {
            entries = parser.entries
            capacity = parser.capacity
        }
        var i = 0
        guard parser.value(&i, depth: 0) else { return false }
        parser.space(&i)
        return i == text.count
    }

    /// The document's root (after a successful `parse`).
    public var root: Node { Node(entries: UnsafePointer(entries), bytes: text.baseAddress!, index: 0) }

    // MARK: parsing

    /// The parse itself, on local copies of the tape's storage (no class access per byte).
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var entries: UnsafeMutablePointer<Entry>
        var capacity: Int
        var count = 0

        init(bytes: UnsafeBufferPointer<UInt8>, entries: UnsafeMutablePointer<Entry>, capacity: Int) {
            self.bytes = bytes
            self.entries = entries
            self.capacity = capacity
        }

        @inline(__always) func space(_ i: inout Int) {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        @inline(__always) mutating func add(_ kind: Kind, _ s: Int = 0, _ e: Int = 0, number: Double = 0) -> Int {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
                bigger.moveInitialize(from: entries, count: count)
                entries.deallocate()
                entries = bigger
                capacity *= 2
            }
            (entries + count).initialize(to: Entry(kind: kind, start: Int32(truncatingIfNeeded: s),
                                                   end: Int32(truncatingIfNeeded: e), next: Int32(count + 1), number: number))
            count += 1
            return count - 1
        }

        mutating func value(_ i: inout Int, depth: Int) -> Bool {
            space(&i)
            guard i < bytes.count, depth <= JSONTape.maxDepth else { return false }
            switch bytes[i] {
            case UInt8(ascii: "{"): return object(&i, depth: depth + 1)
            case UInt8(ascii: "["): return array(&i, depth: depth + 1)
            case UInt8(ascii: "\""):
                guard let range = string(&i) else { return false }
                _ = add(.string, range.lowerBound, range.upperBound)
                return true
            case UInt8(ascii: "t"): return literal(&i, "true", .trueValue)
            case UInt8(ascii: "f"): return literal(&i, "false", .falseValue)
            case UInt8(ascii: "n"): return literal(&i, "null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let n = number(&i) else { return false }
                _ = add(.number, number: n)
                return true
            default: return false
            }
        }

        mutating func literal(_ i: inout Int, _ word: StaticString, _ kind: Kind) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= bytes.count else { return false }
            for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
            i += count
            _ = add(kind)
            return true
        }

        /// A string without escapes, control characters or bytes outside ASCII: its range.
        func string(_ i: inout Int) -> Range<Int>? {
            i += 1
            let s = i
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return s..<(i - 1) }
                if c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { return nil }
                i += 1
            }
            return nil
        }

        mutating func object(_ i: inout Int, depth: Int) -> Bool {
            let node = add(.object)
            i += 1
            space(&i)
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                i += 1
                entries[node].next = Int32(count)
                return true
            }
            while true {
                space(&i)
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = string(&i) else { return false }
                _ = add(.key, key.lowerBound, key.upperBound)
                space(&i)
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return false }
                i += 1
                guard value(&i, depth: depth) else { return false }
                space(&i)
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "}") else { return false }
                i += 1
                entries[node].next = Int32(count)
                return true
            }
        }

        mutating func array(_ i: inout Int, depth: Int) -> Bool {
            let node = add(.array)
            i += 1
            space(&i)
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                i += 1
                entries[node].next = Int32(count)
                return true
            }
            while true {
                guard value(&i, depth: depth) else { return false }
                space(&i)
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                guard bytes[i] == UInt8(ascii: "]") else { return false }
                i += 1
                entries[node].next = Int32(count)
                return true
            }
        }

        /// A JSON number, as `Double(text)` reads it.
        func number(_ i: inout Int) -> Double? {
            let s = i
            var negative = false
            if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
            let intStart = i
            var mantissa: UInt64 = 0, digits = 0, scale = 0
            while i < bytes.count, bytes[i] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
                digits += 1
                i += 1
            }
            let intDigits = i - intStart
            guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fracStart = i
                while i < bytes.count, bytes[i] &- 0x30 < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30)
                    digits += 1
                    i += 1
                }
                guard i > fracStart else { return nil }
                scale = i - fracStart
            }
            var exponent = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                exponent = true
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let expStart = i
                while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
                guard i > expStart else { return nil }
            }
            if !exponent, digits <= 15 {
                let magnitude = Double(mantissa) / JSONTape.powers[scale]
                return negative ? -magnitude : magnitude
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<i]), as: UTF8.self)
            guard let n = Double(text), n.isFinite else { return nil }
            return n
        }
    }

    /// 10^k for k ≤ 15, exact.
    fileprivate static let powers: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { r, _ in r * 10 } }

    // MARK: reading

    /// One value of a parsed tape (valid while the tape's text is, until the next `parse`).
    public struct Node: JSONNode {
        let entries: UnsafePointer<Entry>
        let bytes: UnsafePointer<UInt8>
        let index: Int

        @inline(__always) var kind: Kind { entries[index].kind }

        public var isNull: Bool { kind == .null }
        public var isObject: Bool { kind == .object }

        public subscript(key: String) -> Node? {
            guard kind == .object else { return nil }
            if let found = key.utf8.withContiguousStorageIfAvailable({ member($0) }) { return found }
            return Array(key.utf8).withUnsafeBufferPointer { member($0) }
        }

        /// The first member named `wanted`.
        private func member(_ wanted: UnsafeBufferPointer<UInt8>) -> Node? {
            var j = index + 1
            let stop = Int(entries[index].next)
            while j < stop {
                let s = Int(entries[j].start), e = Int(entries[j].end)
                if e - s == wanted.count {
                    var k = 0
                    while k < wanted.count, bytes[s + k] == wanted[k] { k += 1 }
                    if k == wanted.count { return Node(entries: entries, bytes: bytes, index: j + 1) }
                }
                j = Int(entries[j + 1].next)
            }
            return nil
        }

        private var text: String {
            String(decoding: UnsafeBufferPointer(start: bytes + Int(entries[index].start),
                                                 count: Int(entries[index].end - entries[index].start)), as: UTF8.self)
        }

        public var stringValue: String? { kind == .string ? text : nil }

        public var doubleValue: Double? { kind == .number ? entries[index].number : nil }

        public var boolValue: Bool? {
            switch kind {
            case .trueValue: return true
            case .falseValue: return false
            default: return nil
            }
        }

        public var arrayItems: [Node]? {
            guard kind == .array else { return nil }
            var items: [Node] = []
            var j = index + 1
            let stop = Int(entries[index].next)
            while j < stop {
                items.append(Node(entries: entries, bytes: bytes, index: j))
                j = Int(entries[j].next)
            }
            return items
        }

        /// The number of an object's members, duplicates included (nil: not an object).
        public var memberCount: Int? {
            guard kind == .object else { return nil }
            var n = 0
            var j = index + 1
            let stop = Int(entries[index].next)
            while j < stop {
                n += 1
                j = Int(entries[j + 1].next)
            }
            return n
        }

        /// The members of an object in the text's order, duplicates included.
        public var members: [(key: String, value: Node)]? {
            guard kind == .object else { return nil }
            var out: [(String, Node)] = []
            var j = index + 1
            let stop = Int(entries[index].next)
            while j < stop {
                out.append((Node(entries: entries, bytes: bytes, index: j).text, Node(entries: entries, bytes: bytes, index: j + 1)))
                j = Int(entries[j + 1].next)
            }
            return out
        }

        public var jsonValue: JSONValue {
            switch kind {
            case .null: return .null
            case .falseValue: return .bool(false)
            case .trueValue: return .bool(true)
            case .number: return .number(entries[index].number)
            case .string, .key: return .string(text)
            case .array: return .array((arrayItems ?? []).map(\.jsonValue))
            case .object:
                var members: [String: JSONValue] = [:]
                for (key, value) in self.members ?? [] where members[key] == nil { members[key] = value.jsonValue }
                return .object(members)
            }
        }
    }
}
