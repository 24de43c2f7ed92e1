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
}
