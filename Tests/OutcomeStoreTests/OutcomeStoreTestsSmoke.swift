import XCTest

final class OutcomeStoreTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
