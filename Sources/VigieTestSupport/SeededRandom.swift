/// The tests' one seeded generator (SplitMix64): the same seed gives the same sequence
/// on every platform, so a failing property or fuzz case can be replayed. Saved
/// regression inputs and golden expectations depend on its sequences: never change it.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    package private(set) var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`.
    package mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    /// One of `items` (not empty).
    package mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

/// A generator of test data driven by a `SeededRandom`: gets `int`, `chance` and `pick`.
package protocol SeededGenerating {
    var rng: SeededRandom { get set }
}

extension SeededGenerating {
    package mutating func int(_ range: ClosedRange<Int>) -> Int { rng.int(range) }
    package mutating func chance(_ p: Double) -> Bool { rng.chance(p) }
    package mutating func pick<T>(_ items: [T]) -> T { rng.pick(items) }
}
