import VehicleData

/// A small deterministic random generator (VehicleData's `SplitMix64`): the same seed gives the same
/// world on every machine and every run.
package struct SimRandom: RandomNumberGenerator, Sendable {
    private var generator: SplitMix64

    package init(seed: UInt64) { generator = SplitMix64(state: seed &+ 0x9E37_79B9_7F4A_7C15) }

    /// A generator derived from a seed and a stream number (one stream per vehicle, so
    /// that a vehicle's life does not depend on how many others exist).
    package init(seed: UInt64, stream: UInt64) {
        var mixer = SimRandom(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        generator = SplitMix64(state: mixer.next())
    }

    package mutating func next() -> UInt64 { generator.next() }

    /// A uniform double in `range`.
    package mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }

    /// True with probability `p`.
    package mutating func chance(_ p: Double) -> Bool {
        p > 0 && Double.random(in: 0..<1, using: &self) < p
    }

    /// Lower-case hexadecimal of `bytes` random bytes (identifiers).
    package mutating func hex(bytes: Int) -> String {
        var out = ""
        for _ in 0..<bytes {
            let b = UInt8(truncatingIfNeeded: next())
            out += String(b, radix: 16).leftPadded(to: 2)
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
