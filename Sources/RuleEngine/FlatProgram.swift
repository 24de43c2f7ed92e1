import VehicleData

/// One instruction of the engine's flat form of a lowered condition: the nodes of
/// `LoweredCondition` in their order (children before their parent), with each field
/// test's words of the vehicle's hot block worked out once (see `VehicleLayout`).
/// Plain values only, all the rules' programs end to end in one buffer.
struct FlatInstruction {
    var op: LoweredCondition.Op
    var cmp: LoweredCondition.Cmp
    /// Children of `and` / `or`; items of an `inList`.
    var count: Int32
    /// Field tests: the block word of the field's known bit, and that bit.
    var knownWord: Int32
    var knownMask: UInt64
    /// Field tests: the block word of the value (a point's longitude in the next word).
    var valueWord: Int32
    /// `inList`: the first item in `RuleEngine.flatLists`; `contains`: the member in
    /// `flatMembers`; zones: the zone; `within`: the schedule; `changed`: the field.
    var arg: Int32
    /// `compare`: the operand; `constant`: 1 or 0.
    var value: Double
}

/// Three-valued truth as two bits, for combining without branches: `true` 0b01,
/// `false` 0b10, `unknown` 0b00. `and` is the AND of the true bits with the OR of the
/// false bits; `or` the other way round; `not` swaps them.
enum TruthBits {
    static let t: UInt8 = 1, f: UInt8 = 2, unknown: UInt8 = 0

    @inline(__always) static func of(_ b: Bool) -> UInt8 { b ? t : f }

    @inline(__always) static func truth(_ bits: UInt8) -> Truth {
        bits == t ? .true : (bits == f ? .false : .unknown)
    }
}

extension RuleEngine {
    /// Lays out every rule's program (after `layout`): one run of instructions per rule.
    func buildFlatPrograms() {
        var members: [String] = []
        var longest = 1
        for r in rules {
            flatStart.append(Int32(flat.count), count: 1)
            let p = r.program
            longest = max(longest, p.nodes.count)
            for n in p.nodes {
                var i = FlatInstruction(op: n.op, cmp: n.cmp, count: n.count, knownWord: 0, knownMask: 0,
                                        valueWord: 0, arg: n.arg, value: n.value)
                switch n.op {
                case .compare, .inList, .contains, .inside:
                    let f = Int(n.slot)
                    i.knownWord = Int32(layout.known + f >> 6)
                    i.knownMask = 1 << UInt64(f & 63)
                    i.valueWord = layout.valueWord[f]
                    if n.op == .inList {
                        i.arg = Int32(flatLists.count)
                        for k in Int(n.arg)..<Int(n.arg + n.count) { flatLists.append(p.lists[k], count: 1) }
                    } else if n.op == .contains {
                        i.arg = Int32(members.count)
                        members.append(p.strings[Int(n.arg)])
                    }
                case .changed:
                    i.arg = n.slot
                case .age:
                    let f = Int(n.slot)
                    i.knownWord = Int32(layout.known + f >> 6)
                    i.knownMask = 1 << UInt64(f & 63)
                    i.valueWord = Int32(layout.atWord[f])
                default:
                    break
                }
                flat.append(i, count: 1)
            }
        }
        flatStart.append(Int32(flat.count), count: 1)
        flatMembers = members
        truthStack.append(0, count: longest)
    }

    /// The truth of rule `g`'s condition for vehicle `v` now: its flat program run over
    /// the hot block, with the events of the evaluation at hand (none outside an
    /// observation, see `eventsActive`).
    @inline(__always)
    func run(rule g: Int, vehicle v: Int) -> Truth {
        let block = self.block(v)
        let stack = truthStack.base
        var sp = 0
        var pc = Int(flatStart[g])
        let end = Int(flatStart[g + 1])
        while pc < end {
            let n = flat.base + pc
            pc += 1
            var r: UInt8
            switch n.pointee.op {
            case .compare:
                if block[Int(n.pointee.knownWord)] & n.pointee.knownMask == 0 {
                    r = TruthBits.unknown
                } else {
                    let x = Double(bitPattern: block[Int(n.pointee.valueWord)]), c = n.pointee.value
                    switch n.pointee.cmp {
                    case .lt: r = TruthBits.of(x < c)
                    case .le: r = TruthBits.of(x <= c)
                    case .gt: r = TruthBits.of(x > c)
                    case .ge: r = TruthBits.of(x >= c)
                    case .eq: r = TruthBits.of(x == c)
                    case .ne: r = TruthBits.of(x != c)
                    }
                }
            case .and:
                let count = Int(n.pointee.count)
                sp -= count
                var t = TruthBits.t, f: UInt8 = 0
                for k in sp..<sp + count {
                    t &= stack[k]
                    f |= stack[k] & TruthBits.f
                }
                r = t | f
            case .or:
                let count = Int(n.pointee.count)
                sp -= count
                var t: UInt8 = 0, f = TruthBits.f
                for k in sp..<sp + count {
                    t |= stack[k] & TruthBits.t
                    f &= stack[k]
                }
                r = t | f
            case .not:
                sp -= 1
                let x = stack[sp]
                r = (x & TruthBits.t) << 1 | (x & TruthBits.f) >> 1
            case .within:
                r = TruthBits.of(scheduleOpen[Int(n.pointee.arg)])
            case .inList:
                if block[Int(n.pointee.knownWord)] & n.pointee.knownMask == 0 {
                    r = TruthBits.unknown
                } else {
                    let x = Double(bitPattern: block[Int(n.pointee.valueWord)])
                    var found = false
                    let start = Int(n.pointee.arg)
                    for k in start..<start + Int(n.pointee.count) where flatLists[k] == x {
                        found = true
                        break
                    }
                    r = TruthBits.of(found != (n.pointee.cmp == .ne))
                }
            case .inside:
                if block[Int(n.pointee.knownWord)] & n.pointee.knownMask == 0 {
                    r = TruthBits.unknown
                } else {
                    let w = Int(n.pointee.valueWord)
                    r = TruthBits.of(zoneTests.base[Int(n.pointee.arg)].isInside(
                        latitude: Double(bitPattern: block[w]), longitude: Double(bitPattern: block[w + 1])))
                }
            case .entered, .left:
                switch eventsActive ? zoneEventScratch[Int(n.pointee.arg)] : 0 {
                case 1: r = TruthBits.of(n.pointee.op == .entered)
                case 2: r = TruthBits.of(n.pointee.op == .left)
                case 3: r = TruthBits.unknown
                default: r = TruthBits.f
                }
            case .changed:
                r = TruthBits.of(eventsActive && changedScratch[Int(n.pointee.arg)])
            case .age:
                if block[Int(n.pointee.knownWord)] & n.pointee.knownMask == 0 {
                    r = TruthBits.unknown
                } else {
                    let x = Double(evaluationAt - Millis(bitPattern: block[Int(n.pointee.valueWord)])), c = n.pointee.value
                    switch n.pointee.cmp {
                    case .lt: r = TruthBits.of(x < c)
                    case .le: r = TruthBits.of(x <= c)
                    case .gt: r = TruthBits.of(x > c)
                    case .ge: r = TruthBits.of(x >= c)
                    case .eq: r = TruthBits.of(x == c)
                    case .ne: r = TruthBits.of(x != c)
                    }
                }
            case .contains:
                if block[Int(n.pointee.knownWord)] & n.pointee.knownMask == 0 {
                    r = TruthBits.unknown
                } else {
                    let x = Double(bitPattern: block[Int(n.pointee.valueWord)])
                    r = TruthBits.of(codec.set(x, contains: flatMembers[Int(n.pointee.arg)]))
                }
            case .constant:
                r = TruthBits.of(n.pointee.value != 0)
            }
            stack[sp] = r
            sp += 1
        }
        return TruthBits.truth(stack[0])
    }
}
