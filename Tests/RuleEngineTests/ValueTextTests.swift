import RuleLanguage
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

/// `{{age(f)}}` (SEMANTICS.md "Data time and age"): `XdYhZm` without zero leading parts.
final class AgeTextTests: XCTestCase {
    func testAgeRendering() {
        XCTAssertEqual(ValueText.age(nil), "unknown")
        XCTAssertEqual(ValueText.age(0), "0m")
        XCTAssertEqual(ValueText.age(59_999), "0m")
        XCTAssertEqual(ValueText.age(45 * 60_000 + 30_000), "45m")
        XCTAssertEqual(ValueText.age(125 * 60_000), "2h05m")
        XCTAssertEqual(ValueText.age(3 * 86_400_000), "3d0h00m")
        XCTAssertEqual(ValueText.age(86_400_000 + 11 * 3_600_000 + 59 * 60_000 + 59_999), "1d11h59m")
    }

    /// A firing renders the age of the value at the firing instant: from its data time.
    func testNotifyRendersTheAgeAtTheFiring() {
        let level = T.f("battery.level")
        let template = Template(parts: [.age(level), .text("|"), .age(T.f("odometer")), .text("|"), .age(T.f("speed"))],
                                source: "")
        let rule = T.rule("low", T.lt("battery.level", 20), actions: [.notify(template)])
        let engine = RuleEngine(bundles: [T.bundle([rule])])
        let t = T.at("2026-03-02T08:00:00Z")
        engine.observe(vin: "V1", at: t, Observation(values: [level: .number(10), T.f("odometer"): .number(5)],
                                                     dataTimes: [level: t - 2 * 3_600_000 - 5 * 60_000]))
        XCTAssertEqual(engine.takeDecisions().first?.actions, [.notify("2h05m|0m|unknown")])
    }
}
