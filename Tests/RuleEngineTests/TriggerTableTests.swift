@testable import RuleEngine
import VigieTestSupport
import XCTest

/// A change of value evaluates the rules whose tests it flips; the engine finds the
/// flipped comparisons by searching sorted thresholds. They must be exactly those for
/// which the test's outcome differs between the old and the new value.
final class TriggerTableTests: XCTestCase {
    func testSortedThresholdsFindExactlyTheFlippedComparisons() {
        var rng = SeededRandom(seed: 5)
        let cmps: [LoweredCondition.Cmp] = [.lt, .le, .gt, .ge, .eq, .ne]
        for round in 0..<300 {
            // One field, up to 130 comparisons (three bitset words), thresholds from a
            // small grid so that ties and equal values are common.
            let count = rng.int(1...130)
            let words = (count + 63) / 64
            var atoms: [FieldAtom] = []
            var atomRules: [UInt64] = []
            for i in 0..<count {
                var atom = FieldAtom(kind: .compare, cmp: rng.pick(cmps), value: Double(rng.int(-5...5)) / 2)
                atom.rulesStart = atomRules.count
                var bits = Array(repeating: UInt64(0), count: words)
                bits[i / 64] |= 1 << UInt64(i % 64)
                atomRules += bits
                atoms.append(atom)
            }
            let none = [Array(repeating: UInt64(0), count: words)]
            let table = TriggerTable(words: words, fieldRules: none, fieldAlways: none, changedEvent: none, zoneEvent: [],
                                     fieldAtoms: [atoms], atomRules: atomRules)
            let codec = FieldCodec()
            for _ in 0..<50 {
                let old = Double(rng.int(-7...7)) / 2, new = Double(rng.int(-7...7)) / 2
                var expected = Array(repeating: UInt64(0), count: words)
                for i in 0..<count where table.holds(i, old, codec: codec) != table.holds(i, new, codec: codec) {
                    expected[i / 64] |= 1 << UInt64(i % 64)
                }
                var got = Array(repeating: UInt64(0), count: words)
                table.flippedComparisons(field: 0, old: old, new: new) { rules in
                    for w in 0..<words { got[w] |= rules[w] }
                }
                XCTAssertEqual(got, expected, "round \(round): \(old) → \(new)")
            }
        }
    }
}
