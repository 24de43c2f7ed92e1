import XCTest

final class SimulatorTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
