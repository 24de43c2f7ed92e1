import XCTest

final class VehicleDataTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
