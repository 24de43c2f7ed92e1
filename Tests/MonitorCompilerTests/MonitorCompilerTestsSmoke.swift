import XCTest

final class MonitorCompilerTestsSmoke: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
