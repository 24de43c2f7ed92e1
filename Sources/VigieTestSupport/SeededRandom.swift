import VehicleData

/// The tests' one seeded generator (VehicleData's `SplitMix64`): the same seed gives the same sequence
/// on every platform, so a failing property or fuzz case can be replayed. Saved
/// regression inputs and golden expectations depend on its sequences: never change it.
package struct SeededRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    package init(seed: UInt64) { generator = SplitMix64(state: seed) }

    package var state: UInt64 { generator.state }

    package mutating func next() -> UInt64 { generator.next() }

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
