/// The engine-wide tables that decide which rules an observation evaluates (see
/// `FieldAtom`), flattened into plain buffers for the hot path: no nested arrays, no
/// reference counting per lookup. Bitsets are `words` words long.
final class TriggerTable {
    /// `FieldAtom` without references.
    struct Atom {
        var kind: FieldAtom.Kind
        var cmp: LoweredCondition.Cmp
        var zone: Int32
        var listStart: Int32
        var listCount: Int32
        var member: Int32
        var rulesStart: Int32
        var value: Double
    }

    @exclusivity(unchecked) private(set) var words = 1
    /// Per field: the rules reading it.
    let fieldRules = PodBuffer<UInt64>()
    /// Per field: the rules a change of its known value always evaluates.
    let fieldAlways = PodBuffer<UInt64>()
    /// Per field: the rules using `changed(field)`.
    let changedEvent = PodBuffer<UInt64>()
    /// Per zone: the rules using `entered(zone)` or `left(zone)`.
    let zoneEvent = PodBuffer<UInt64>()
    /// Per field `f`: its atoms are `atoms[atomStart[f] ..< atomStart[f + 1]]`.
    let atomStart = PodBuffer<Int32>()
    let atoms = PodBuffer<Atom>()
    let atomRules = PodBuffer<UInt64>()
    let lists = PodBuffer<Double>()
    private(set) var members: [String] = []

    /// The comparisons of each field, sorted by threshold, so that a change of value
    /// visits only the tests it flips (see `flipped`). `x < c` and `x >= c` flip when `c`
    /// lies in `(lo, hi]` of the old and new values ("upper" thresholds), `x <= c` and
    /// `x > c` when it lies in `[lo, hi)` ("lower"), `x == c` and `x != c` when `c` is one
    /// of them ("equal"). Tests of one kind with the same threshold share an entry (their
    /// rule bitsets merged). Field `f`'s entries of kind `k` (0 upper, 1 lower, 2 equal)
    /// are `thresholds[thresholdStart[3f + k] ..< thresholdStart[3f + k + 1]]`.
    let thresholdStart = PodBuffer<Int32>()
    let thresholds = PodBuffer<Double>()
    /// Per threshold entry: its rule bitset, `words` words.
    let thresholdRules = PodBuffer<UInt64>()
    /// Per field `f`: its other atoms (lists, sets, zones) are
    /// `otherAtoms[otherStart[f] ..< otherStart[f + 1]]` (indices in `atoms`).
    let otherStart = PodBuffer<Int32>()
    let otherAtoms = PodBuffer<Int32>()

    /// An empty table, filled once by `fill` (the engine holds it as a constant, so the
    /// hot path reads it without reference counting).
    init() {}

    convenience init(words: Int, fieldRules: [[UInt64]], fieldAlways: [[UInt64]], changedEvent: [[UInt64]],
                     zoneEvent: [[UInt64]], fieldAtoms: [[FieldAtom]], atomRules: [UInt64]) {
        self.init()
        fill(words: words, fieldRules: fieldRules, fieldAlways: fieldAlways, changedEvent: changedEvent,
             zoneEvent: zoneEvent, fieldAtoms: fieldAtoms, atomRules: atomRules)
    }

    /// Builds the table (once).
    func fill(words: Int, fieldRules: [[UInt64]], fieldAlways: [[UInt64]], changedEvent: [[UInt64]],
              zoneEvent: [[UInt64]], fieldAtoms: [[FieldAtom]], atomRules: [UInt64]) {
        precondition(atomStart.count == 0, "a trigger table is filled once")
        self.words = words
        for (buffer, table) in [(self.fieldRules, fieldRules), (self.fieldAlways, fieldAlways),
                                (self.changedEvent, changedEvent), (self.zoneEvent, zoneEvent)] {
            for row in table { for word in row { buffer.append(word, count: 1) } }
        }
        for word in atomRules { self.atomRules.append(word, count: 1) }
        var members: [String] = []
        atomStart.append(0, count: 1)
        for row in fieldAtoms {
            for a in row {
                let start = Int32(lists.count)
                for x in a.list { lists.append(x, count: 1) }
                if a.kind == .contains { members.append(a.member) }
                atoms.append(Atom(kind: a.kind, cmp: a.cmp, zone: Int32(a.zone), listStart: start,
                                  listCount: Int32(a.list.count), member: Int32(members.count - 1),
                                  rulesStart: Int32(a.rulesStart), value: a.value), count: 1)
            }
            atomStart.append(Int32(atoms.count), count: 1)
        }
        self.members = members
        thresholdStart.append(0, count: 1)
        otherStart.append(0, count: 1)
        for (f, row) in fieldAtoms.enumerated() {
            var kinds: [[Double: [UInt64]]] = [[:], [:], [:]]
            for (j, a) in row.enumerated() {
                let kind: Int
                switch (a.kind, a.cmp) {
                case (.compare, .lt), (.compare, .ge): kind = 0
                case (.compare, .le), (.compare, .gt): kind = 1
                case (.compare, .eq), (.compare, .ne): kind = 2
                default:
                    otherAtoms.append(atomStart[f] + Int32(j), count: 1)
                    continue
                }
                let bits = Array(atomRules[a.rulesStart..<a.rulesStart + words])
                kinds[kind][a.value] = zip(kinds[kind][a.value] ?? Array(repeating: 0, count: words), bits).map { $0 | $1 }
            }
            otherStart.append(Int32(otherAtoms.count), count: 1)
            for entries in kinds {
                for (value, bits) in entries.sorted(by: { $0.key < $1.key }) {
                    thresholds.append(value, count: 1)
                    bits.withUnsafeBufferPointer { thresholdRules.append(contentsOf: $0) }
                }
                thresholdStart.append(Int32(thresholds.count), count: 1)
            }
        }
    }

    /// Calls `body` with the rule bitset (`words` words) of every comparison of field `f`
    /// whose outcome differs between the values `old` and `new` (neither NaN): exactly
    /// the comparisons for which `holds(old) != holds(new)`.
    @inline(__always)
    func flippedComparisons(field f: Int, old: Double, new: Double, _ body: (UnsafePointer<UInt64>) -> Void) {
        let lo = Swift.min(old, new), hi = Swift.max(old, new)
        // Upper: lo < c <= hi.
        var i = firstIndex(from: Int(thresholdStart[3 * f]), to: Int(thresholdStart[3 * f + 1])) { $0 > lo }
        var end = Int(thresholdStart[3 * f + 1])
        while i < end, thresholds[i] <= hi {
            body(thresholdRules.base + i * words)
            i += 1
        }
        // Lower: lo <= c < hi.
        end = Int(thresholdStart[3 * f + 2])
        i = firstIndex(from: Int(thresholdStart[3 * f + 1]), to: end) { $0 >= lo }
        while i < end, thresholds[i] < hi {
            body(thresholdRules.base + i * words)
            i += 1
        }
        // Equal: c is one of the two values (they differ).
        guard old != new else { return }
        for k in Int(thresholdStart[3 * f + 2])..<Int(thresholdStart[3 * f + 3]) where thresholds[k] == old || thresholds[k] == new {
            body(thresholdRules.base + k * words)
        }
    }

    /// The first index in `start..<end` of `thresholds` (sorted) whose value satisfies
    /// `above` (a predicate false then true along the range), or `end`.
    @inline(__always)
    private func firstIndex(from start: Int, to end: Int, _ above: (Double) -> Bool) -> Int {
        var (low, high) = (start, end)
        while low < high {
            let mid = (low + high) >> 1
            if above(thresholds[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The outcome of atom `i` for a known value `a`, exactly as `LoweredCondition`
    /// evaluates the test (not for `inside`, decided by the zone events).
    @inline(__always)
    func holds(_ i: Int, _ a: Double, codec: FieldCodec) -> Bool {
        let atom = atoms[i]
        switch atom.kind {
        case .compare:
            switch atom.cmp {
            case .lt: return a < atom.value
            case .le: return a <= atom.value
            case .gt: return a > atom.value
            case .ge: return a >= atom.value
            case .eq: return a == atom.value
            case .ne: return a != atom.value
            }
        case .inList:
            var found = false
            for k in Int(atom.listStart)..<Int(atom.listStart + atom.listCount) where lists[k] == a {
                found = true
                break
            }
            return found != (atom.cmp == .ne)
        case .contains: return codec.set(a, contains: members[Int(atom.member)])
        case .inside: return false
        }
    }
}
