/// Where a vehicle's data sits in its block of `RuleEngine.hot` (in 64-bit words):
/// everything an observation reads or writes, packed together so that one observation
/// of a vehicle picked at random costs a few whole cache lines.
///
///     [known bits (a bit per field)] [rules of its bundles (a bit per rule)]
///     [rules to evaluate at the next observation] [flags] [values read by rules]
///     [data times of those values] [phases (two bits per rule)]
///
/// Blocks are a whole number of cache lines long and start on a line (the buffer is
/// line-aligned). Values are those of the fields some rule reads (a point takes two
/// words); the fields no rule reads (kept for snapshots and notify texts) live apart,
/// in `RuleEngine.cold`, `coldCount` slots per vehicle.
struct VehicleLayout {
    static let observedFlag: UInt64 = 1
    /// Words per cache line.
    static let lineWords = 8

    let known = 0
    let active: Int
    let dirty: Int
    let flags: Int
    let values: Int
    let phases: Int
    /// Words per vehicle: a multiple of `lineWords`.
    let stride: Int
    /// Per field: its value's word offset from `values`, or -1 when no rule reads it.
    let hotIndex: [Int32]
    /// Per field: `values + hotIndex` (the word of its value in the block), or -1.
    let valueWord: [Int32]
    /// Per field read by a rule: the word of its data time in the block, or -1.
    let atWord: [Int32]
    /// Per field no rule reads: its slot among the vehicle's cold slots, or -1.
    let coldIndex: [Int32]
    /// Cold slots per vehicle.
    let coldCount: Int
    /// Per field: whether it is a point (two words: latitude, longitude).
    let isPoint: [Bool]

    init(fieldCount: Int, ruleCount: Int, words: Int, readFields: Set<Int>, pointFields: Set<Int>) {
        active = (fieldCount + 63) / 64
        dirty = active + words
        flags = dirty + words
        values = flags + 1
        var index = Array(repeating: Int32(-1), count: fieldCount)
        var next: Int32 = 0
        let read = readFields.sorted()
        for f in read {
            index[f] = next
            next += pointFields.contains(f) ? 2 : 1
        }
        hotIndex = index
        valueWord = index.map { [values] i in i < 0 ? -1 : Int32(values) + i }
        var at = Array(repeating: Int32(-1), count: fieldCount)
        for (i, f) in read.enumerated() { at[f] = Int32(values) + next + Int32(i) }
        atWord = at
        var cold = Array(repeating: Int32(-1), count: fieldCount)
        var colds: Int32 = 0
        for f in 0..<fieldCount where index[f] < 0 {
            cold[f] = colds
            colds += 1
        }
        coldIndex = cold
        coldCount = Int(colds)
        isPoint = (0..<fieldCount).map { pointFields.contains($0) }
        phases = values + Int(next) + read.count
        let used = phases + (ruleCount + 31) / 32
        stride = (used + VehicleLayout.lineWords - 1) / VehicleLayout.lineWords * VehicleLayout.lineWords
    }
}
