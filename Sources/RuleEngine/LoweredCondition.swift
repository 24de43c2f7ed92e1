import RuleLanguage
import VehicleData

/// A checked condition lowered once into a flat, slot-indexed program: no strings and
/// no dictionaries on the hot path. Comparisons of numbers, booleans (0/1) and enum
/// members (member codes, see `FieldCodec`) are all one numeric comparison. The nodes
/// are in post-order (each node after its children, an `and` or `or` right after its
/// `count` children's subtrees, the root last): the engine runs them in that order with
/// a stack (see `FlatInstruction`).
final class LoweredCondition {
    enum Op: UInt8 {
        case constant, compare, inList, contains, inside, entered, left, changed, within, and, or, not, age
    }

    enum Cmp: UInt8 { case lt, le, gt, ge, eq, ne }

    struct Node {
        var op: Op
        var cmp: Cmp = .eq
        var slot: Int32 = 0     // field index
        var arg: Int32 = 0      // list start / zone / schedule / string index
        var count: Int32 = 0    // number of children or list items; negation flag for inList
        var value: Double = 0
    }

    let nodes: [Node]
    let lists: [Double]
    let strings: [String]
    /// The fields the condition reads (position for zones).
    let reads: Set<FieldID>
    /// Its `age(field) op d` tests: the field, the comparison and d in milliseconds.
    let ages: [(field: Int, cmp: Cmp, ms: Millis)]
    /// Whether it uses `entered`, `left` or `changed`.
    private(set) var usesEvents = false
    /// Engine-wide indices of the schedules it uses.
    let schedules: Set<Int>

    /// `zoneIndex` / `scheduleIndex` intern zones and schedules engine-wide.
    init(_ condition: Condition, codec: FieldCodec, positionField: FieldID?,
         zoneIndex: @escaping (Zone) -> Int, scheduleIndex: @escaping (Schedule) -> Int) {
        var builder = Builder(codec: codec, positionField: positionField, zoneIndex: zoneIndex, scheduleIndex: scheduleIndex)
        builder.lower(condition)
        nodes = builder.nodes
        lists = builder.lists
        strings = builder.strings
        reads = builder.reads
        usesEvents = builder.usesEvents
        schedules = builder.schedules
        ages = builder.nodes.filter { $0.op == .age }.map { (Int($0.slot), $0.cmp, Millis($0.value)) }
    }

    private struct Builder {
        let codec: FieldCodec
        let positionField: FieldID?
        let zoneIndex: (Zone) -> Int
        let scheduleIndex: (Schedule) -> Int
        var nodes: [Node] = []
        var lists: [Double] = []
        var strings: [String] = []
        var reads: Set<FieldID> = []
        var usesEvents = false
        var schedules: Set<Int> = []

        @discardableResult
        mutating func add(_ n: Node) -> Int32 {
            nodes.append(n)
            return Int32(nodes.count - 1)
        }

        func code(_ field: FieldID, _ literal: Literal) -> Double {
            switch literal {
            case .number(let n): return n
            case .bool(let b): return b ? 1 : 0
            case .member(let m): return codec.memberCode(field, m)
            }
        }

        mutating func zone(_ op: Op, _ z: Zone) -> Int32 {
            if let p = positionField { reads.insert(p) }
            if op != .inside { usesEvents = true }
            return add(Node(op: op, slot: Int32(positionField?.index ?? 0), arg: Int32(zoneIndex(z))))
        }

        @discardableResult
        mutating func lower(_ c: Condition) -> Int32 {
            switch c {
            case .constant(let b):
                return add(Node(op: .constant, value: b ? 1 : 0))
            case .isTrue(let f):
                reads.insert(f)
                return add(Node(op: .compare, cmp: .eq, slot: Int32(f.index), value: 1))
            case .compare(let f, let op, let lit):
                reads.insert(f)
                let cmp: Cmp = [.lt: .lt, .le: .le, .gt: .gt, .ge: .ge, .eq: .eq, .ne: .ne][op]!
                return add(Node(op: .compare, cmp: cmp, slot: Int32(f.index), value: code(f, lit)))
            case .member(let f, let lits, let negated):
                reads.insert(f)
                let start = Int32(lists.count)
                lists.append(contentsOf: lits.map { code(f, $0) })
                return add(Node(op: .inList, cmp: negated ? .ne : .eq, slot: Int32(f.index), arg: start,
                                count: Int32(lits.count)))
            case .contains(let f, let member):
                reads.insert(f)
                strings.append(member)
                return add(Node(op: .contains, slot: Int32(f.index), arg: Int32(strings.count - 1)))
            case .inside(let z): return zone(.inside, z)
            case .entered(let z): return zone(.entered, z)
            case .left(let z): return zone(.left, z)
            case .changed(let f):
                reads.insert(f)
                usesEvents = true
                return add(Node(op: .changed, slot: Int32(f.index)))
            case .age(let f, let op, let seconds):
                reads.insert(f)
                let cmp: Cmp = [.lt: .lt, .le: .le, .gt: .gt, .ge: .ge, .eq: .eq, .ne: .ne][op]!
                return add(Node(op: .age, cmp: cmp, slot: Int32(f.index), value: (seconds * 1000).rounded()))
            case .within(let s):
                let i = scheduleIndex(s)
                schedules.insert(i)
                return add(Node(op: .within, arg: Int32(i)))
            case .and(let cs), .or(let cs):
                for child in cs { lower(child) }
                let op: Op
                if case .and = c { op = .and } else { op = .or }
                return add(Node(op: op, count: Int32(cs.count)))
            case .not(let inner):
                lower(inner)
                return add(Node(op: .not))
            }
        }
    }
}
