import XCTest

final class RuleEngineTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
