import VehicleData
import XCTest

/// `SplitMix64` draws the reference algorithm's sequence (the published vectors for seeds
/// 0 and 1234567): the simulator's worlds, the benchmarks' data and the tests' seeded
/// cases all depend on it staying the same.
final class SplitMix64Tests: XCTestCase {
    func testReferenceSequences() {
        var zero = SplitMix64(state: 0)
        XCTAssertEqual((0..<3).map { _ in zero.next() }, [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var seeded = SplitMix64(state: 1_234_567)
        XCTAssertEqual((0..<3).map { _ in seeded.next() },
                       [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
        XCTAssertEqual(seeded.state, 1_234_567 &+ 3 &* 0x9E37_79B9_7F4A_7C15)
    }
}
