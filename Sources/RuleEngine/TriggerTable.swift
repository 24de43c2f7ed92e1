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

    let words: Int
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
    let members: [String]

    init(words: Int, fieldRules: [[UInt64]], fieldAlways: [[UInt64]], changedEvent: [[UInt64]],
         zoneEvent: [[UInt64]], fieldAtoms: [[FieldAtom]], atomRules: [UInt64]) {
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
