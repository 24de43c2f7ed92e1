/// The tests' one seeded generator (SplitMix64): the same seed gives the same sequence
/// on every platform, so a failing property or fuzz case can be replayed. Saved
/// regression inputs and golden expectations depend on its sequences: never change it.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    /// One of `items` (not empty).
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
}

/// A generator of test data driven by a `SeededRandom`: gets `int`, `chance` and `pick`.
public protocol SeededGenerating {
    var rng: SeededRandom { get set }
}

extension SeededGenerating {
    public mutating func int(_ range: ClosedRange<Int>) -> Int { rng.int(range) }
    public mutating func chance(_ p: Double) -> Bool { rng.chance(p) }
    public mutating func pick<T>(_ items: [T]) -> T { rng.pick(items) }
}
