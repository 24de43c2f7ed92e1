import VehicleData
import VigieTestSupport
import XCTest
@testable import RuleEngine

/// SEMANTICS.md, notify rendering: integral numbers without a decimal point (`18`), others
/// in the shortest form that reads back exactly (`19.5`) — at any magnitude.
final class ValueTextTests: XCTestCase {
    func testIntegralNumbersHaveNoDecimalPointOrExponent() {
        XCTAssertEqual(ValueText.number(18), "18")
        XCTAssertEqual(ValueText.number(-0.0), "0")
        XCTAssertEqual(ValueText.number(2e15), "2000000000000000")
        XCTAssertEqual(ValueText.number(-4e17), "-400000000000000000")
        XCTAssertEqual(ValueText.number(1e19), "10000000000000000000")
        XCTAssertEqual(ValueText.number(1.5e20), "150000000000000000000")
        XCTAssertEqual(ValueText.number(-1.2345e22), "-12345000000000000000000")
    }

    func testOtherNumbersReadBackExactly() {
        XCTAssertEqual(ValueText.number(19.5), "19.5")
        XCTAssertEqual(ValueText.number(0.1), "0.1")
        for n in [19.5, 0.1, -3.25, 1e-7, 123456.789, .pi] {
            XCTAssertEqual(Double(ValueText.number(n)), n, "\(n)")
        }
        for n in [2e15, 1e19, 1.5e20, -1.2345e22, 1.7976931348623157e308] {
            XCTAssertEqual(Double(ValueText.number(n)), n, "\(n)")
            XCTAssertFalse(ValueText.number(n).contains(where: { $0 == "." || $0 == "e" }), "\(n)")
        }
    }

    /// Notify texts are rendered as bytes into the engine's text buffer: the same text as
    /// `ValueText.render`, for every kind of value.
    func testBytesAppendedAreTheRenderedText() {
        var numbers: [Double] = [0, -0.0, 1, -1, 9, 10, 18, 99, 100, -100, 19.5, 0.1, 1e-7, .pi, 2e15, -4e17, 9.1e18,
                                 -9.1e18, 9.3e18, 1.5e20, .infinity, -.infinity, .nan, Double(Int64.max), Double(Int64.min)]
        var rng = SeededRandom(seed: 11)
        for _ in 0..<2_000 {
            numbers.append(Double(Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &rng)))
            numbers.append(Double.random(in: -1e6...1e6, using: &rng).rounded() / 4)
        }
        let values: [FieldValue?] = numbers.map { .number($0) } + [
            nil, .bool(true), .bool(false), .member("InProgress"), .member("Ünïcode ✓"), .set(["A", "B"]), .set([]),
            .point(latitude: 48.8667, longitude: -2.5), .point(latitude: 0, longitude: 180),
        ]
        for value in values {
            let text = PodBuffer<UInt8>()
            ValueText.append(value, to: text)
            XCTAssertEqual(String(decoding: text.elements, as: UTF8.self), ValueText.render(value), "\(String(describing: value))")
        }
    }
}
