import CVigieSupport

/// The reader's numbering of vehicles: a VIN's bytes (as they appear in the line) to the
/// number of its first appearance, without making a `String` per line. Open addressing
/// over a power-of-two table whose slots hold the key itself: the VIN's first 24 bytes
/// (a VIN has 17) in three words, its length and its number, so that a lookup reads one
/// slot (one cache line) and compares three words, instead of following an index to a
/// hash and then to the bytes (three dependent cache misses a line, 5–8 % of a replay's
/// time before). The bytes past the 24th, if any, are compared in the arena, which
/// keeps every VIN once.
struct ReplayVehicleTable {
    /// Slot i is `table[4 i ..< 4 i + 4]`: key words 0, 1, 2 (little-endian, zero past the
    /// end of the VIN), then `length << 32 | (number + 1)`; 0 there: an empty slot.
    private var table: [UInt64]
    private var mask: Int
    private var starts: [Int32] = [0]
    private var arena: [UInt8] = []
    private(set) var count = 0
    private static let inlineBytes = 24

    init() {
        table = Array(repeating: 0, count: 1024 * 4)
        mask = 1023
    }

    /// The number of the VIN `bytes`, and whether it is new.
    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int32, isNew: Bool) {
        let key = Self.key(bytes)
        let n = bytes.count
        var i = Int(truncatingIfNeeded: Self.hash(key, bytes)) & mask
        let found: Int32? = table.withUnsafeBufferPointer { t in
            while true {
                let meta = t[4 * i + 3]
                if meta == 0 { return nil }
                if t[4 * i] == key.0, t[4 * i + 1] == key.1, t[4 * i + 2] == key.2, Int(meta >> 32) == n {
                    let number = Int32(truncatingIfNeeded: meta & 0xFFFF_FFFF) - 1
                    if n <= Self.inlineBytes || sameTail(Int(number), bytes) { return number }
                }
                i = (i + 1) & mask
            }
        }
        if let found { return (found, false) }
        let number = Int32(count)
        place(key, length: n, number: number, at: i)
        arena.append(contentsOf: bytes)
        starts.append(Int32(arena.count))
        count += 1
        if count * 2 > mask + 1 { grow() }
        return (number, true)
    }

    /// Starts bringing into the cache the slot where `bytes` will be looked up: the line
    /// parser calls it as soon as it has read a line's VIN, so that the slot's cache
    /// miss overlaps the reading of the line's fields instead of stalling `number`.
    @inline(__always)
    func prefetch(_ bytes: UnsafeBufferPointer<UInt8>) {
        let i = Int(truncatingIfNeeded: Self.hash(Self.key(bytes), bytes)) & mask
        table.withUnsafeBufferPointer { vigie_prefetch($0.baseAddress! + 4 * i) }
    }

    private mutating func place(_ key: (UInt64, UInt64, UInt64), length: Int, number: Int32, at i: Int) {
        table[4 * i] = key.0
        table[4 * i + 1] = key.1
        table[4 * i + 2] = key.2
        table[4 * i + 3] = UInt64(length) << 32 | UInt64(UInt32(number) + 1)
    }

    /// Whether VIN `n`'s bytes past the inline ones are those of `bytes` (same length).
    private func sameTail(_ n: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[n])
        for k in Self.inlineBytes..<bytes.count where arena[start + k] != bytes[k] { return false }
        return true
    }

    /// The first 24 bytes in three little-endian words, zero past the end.
    @inline(__always)
    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64) {
        guard let base = bytes.baseAddress else { return (0, 0, 0) }
        let n = bytes.count
        @inline(__always) func word(_ k: Int) -> UInt64 {
            let start = k * 8
            if start + 8 <= n {
                return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: start, as: UInt64.self))
            }
            var x: UInt64 = 0, j = start
            while j < n, j < start + 8 {
                x |= UInt64(base[j]) << UInt64((j - start) * 8)
                j += 1
            }
            return x
        }
        return (word(0), word(1), word(2))
    }

    @inline(__always)
    private static func hash(_ key: (UInt64, UInt64, UInt64), _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = (key.0 ^ UInt64(bytes.count)) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 29) ^ key.1) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 31) ^ key.2) &* 0x94D0_49BB_1331_11EB
        if bytes.count > inlineBytes {
            for b in bytes[inlineBytes...] { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        return h ^ (h >> 32)
    }

    private mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        mask = table.count / 4 - 1
        let kept = arena
        kept.withUnsafeBufferPointer { arena in
            for n in 0..<count {
                let bytes = UnsafeBufferPointer(rebasing: arena[Int(starts[n])..<Int(starts[n + 1])])
                let key = Self.key(bytes)
                var i = Int(truncatingIfNeeded: Self.hash(key, bytes)) & mask
                while table[4 * i + 3] != 0 { i = (i + 1) & mask }
                place(key, length: bytes.count, number: Int32(n), at: i)
            }
        }
    }
}
