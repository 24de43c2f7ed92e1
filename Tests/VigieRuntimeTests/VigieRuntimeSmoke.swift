import XCTest

final class VigieRuntimeSmoke: XCTestCase {
    func testModuleBuilds() { XCTAssertTrue(true) }
}
