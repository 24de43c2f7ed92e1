/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, deterministic generator. The
/// same state gives the same sequence on every machine and every run, which is what the
/// simulator's worlds, the benchmarks' generated data and the tests' seeded cases rely on:
/// never change the algorithm.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The state; the next value is drawn from `state &+ 0x9E37_79B9_7F4A_7C15`.
    public var state: UInt64

    @inlinable
    public init(state: UInt64) { self.state = state }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
