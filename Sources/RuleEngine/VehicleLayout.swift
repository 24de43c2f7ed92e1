/// Where a vehicle's hot data sits in its block of `RuleEngine.hot` (in 64-bit words):
/// everything an observation reads, packed together so that one observation of a
/// vehicle picked at random costs a few adjacent cache lines.
///
///     [known bits (a bit per field)] [rules of its bundles (a bit per rule)]
///     [rules to evaluate at the next observation] [flags] [values read by rules]
///     [phases (a byte per rule)]
///
/// Values are those of the fields some rule reads (a point takes two words); every
/// field's value and observed-at also live in `RuleEngine.slots`, which only writes,
/// snapshots and action rendering touch.
struct VehicleLayout {
    static let observedFlag: UInt64 = 1

    let known = 0
    let active: Int
    let dirty: Int
    let flags: Int
    let values: Int
    let phases: Int
    /// Words per vehicle.
    let stride: Int
    /// Per field: its value's word offset from `values`, or -1 when no rule reads it.
    let hotIndex: [Int32]
    /// Per field: `values + hotIndex` (the word of its value in the block), or -1.
    let valueWord: [Int32]
    /// Per field: whether it is a point (two words: latitude, longitude).
    let isPoint: [Bool]

    init(fieldCount: Int, ruleCount: Int, words: Int, readFields: Set<Int>, pointFields: Set<Int>) {
        active = (fieldCount + 63) / 64
        dirty = active + words
        flags = dirty + words
        values = flags + 1
        var index = Array(repeating: Int32(-1), count: fieldCount)
        var next: Int32 = 0
        for f in readFields.sorted() {
            index[f] = next
            next += pointFields.contains(f) ? 2 : 1
        }
        hotIndex = index
        valueWord = index.map { [values] i in i < 0 ? -1 : Int32(values) + i }
        isPoint = (0..<fieldCount).map { pointFields.contains($0) }
        phases = values + Int(next)
        stride = phases + (ruleCount + 7) / 8
    }
}
