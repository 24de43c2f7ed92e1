/// The reader's numbering of vehicles: a VIN's bytes (as they appear in the line) to the
/// number of its first appearance, without making a `String` per line. Open addressing
/// over a power-of-two table; the VINs' bytes are kept once each in one arena.
struct ReplayVehicleTable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int32] = [0]
    private var arena: [UInt8] = []
    private var mask: Int

    init() {
        slots = Array(repeating: -1, count: 1024)
        mask = 1023
    }

    var count: Int { hashes.count }

    /// The number of the VIN `bytes`, and whether it is new.
    mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int32, isNew: Bool) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let s = slots[i]
            if s < 0 { break }
            if hashes[Int(s)] == h, same(Int(s), bytes) { return (s, false) }
            i = (i + 1) & mask
        }
        let n = Int32(hashes.count)
        hashes.append(h)
        arena.append(contentsOf: bytes)
        starts.append(Int32(arena.count))
        slots[i] = n
        if hashes.count * 2 > slots.count { grow() }
        return (n, true)
    }

    private func same(_ n: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[n]), end = Int(starts[n + 1])
        guard end - start == bytes.count else { return false }
        for k in 0..<bytes.count where arena[start + k] != bytes[k] { return false }
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (n, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(n)
        }
    }
}
