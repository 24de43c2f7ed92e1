import XCTest

final class WebhookServerTestsSmoke: XCTestCase {
    func testPlaceholder() { XCTAssertTrue(true) }
}
