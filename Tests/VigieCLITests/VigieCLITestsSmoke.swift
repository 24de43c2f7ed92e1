import XCTest

final class VigieCLITestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
