import VehicleData
import XCTest

final class BackoffTests: XCTestCase {
    func testDoublesFromTheBaseUpToTheCap() {
        let b = Backoff(base: 0.5, cap: 30)
        XCTAssertEqual((0...7).map { b.delay(retry: $0) }, [0.5, 1, 2, 4, 8, 16, 30, 30])
        XCTAssertEqual(b.delay(retry: -3), 0.5)
        XCTAssertEqual(b.delay(retry: Int.max), 30)
        XCTAssertEqual(Backoff(base: 0.2, cap: 5).delay(retry: 4), 3.2, accuracy: 1e-12)
    }
}
