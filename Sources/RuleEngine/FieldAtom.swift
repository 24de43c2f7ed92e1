/// A leaf test of one field that state-based rules share: a comparison (numbers,
/// booleans and enum members alike), a list or set membership, or `inside(zone)`.
///
/// When an observation changes a known value, only the rules with a test whose outcome
/// differs between the old and the new value can change truth: the others are skipped
/// (an evaluation with the truth of the previous one changes nothing, see
/// `RuleEngine.evaluate`). Events (`changed`, `entered`, `left`) are the other inputs of
/// a condition: a rule is also evaluated when one of its events is not false, and at the
/// next observation after that (`RuleEngine.eventDirty`). Tests are deduplicated per
/// field; `rulesStart` locates the bitset of the rules holding one.
struct FieldAtom {
    enum Kind: UInt8 { case compare, inList, contains, inside }

    var kind: Kind
    var cmp: LoweredCondition.Cmp = .eq
    var value: Double = 0
    var list: [Double] = []
    var member: String = ""
    var zone: Int = 0
    /// Where its rule bitset starts in `RuleEngine.atomRules` (`words` entries).
    var rulesStart: Int = 0

    /// Whether two atoms are the same test (so they share one entry).
    func sameTest(as other: FieldAtom) -> Bool {
        kind == other.kind && cmp == other.cmp && value == other.value && list == other.list
            && member == other.member && zone == other.zone
    }
}

extension LoweredCondition {
    /// The field tests of this condition with the field each reads (zone tests read the
    /// position); events and schedules are not field tests.
    func atoms() -> [(field: Int, atom: FieldAtom)] {
        nodes.compactMap { n in
            let field = Int(n.slot)
            switch n.op {
            case .compare: return (field, FieldAtom(kind: .compare, cmp: n.cmp, value: n.value))
            case .inList:
                return (field, FieldAtom(kind: .inList, cmp: n.cmp, list: Array(lists[Int(n.arg)..<Int(n.arg + n.count)])))
            case .contains: return (field, FieldAtom(kind: .contains, member: strings[Int(n.arg)]))
            case .inside: return (field, FieldAtom(kind: .inside, zone: Int(n.arg)))
            default: return nil
            }
        }
    }

    /// The fields of its `changed(…)` and the zones of its `entered(…)` / `left(…)`.
    func events() -> (changed: [Int], zones: [Int]) {
        var changed: [Int] = [], zones: [Int] = []
        for n in nodes {
            switch n.op {
            case .changed: changed.append(Int(n.slot))
            case .entered, .left: zones.append(Int(n.arg))
            default: break
            }
        }
        return (changed, zones)
    }
}
