import XCTest

final class StellantisAPITestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
