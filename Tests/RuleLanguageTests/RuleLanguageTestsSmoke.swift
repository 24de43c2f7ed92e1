import XCTest

final class RuleLanguageTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
