import Notifications
import XCTest

final class JSONBodyTests: XCTestCase {
    func testKeysSortedSlashesPlainControlEscaped() {
        let body: JSONBody = ["z": "a/b", "a": ["x": .null, "b": true], "m": .array([1, "é\n\u{01}"])]
        XCTAssertEqual(body.serialized, #"{"a":{"b":true,"x":null},"m":[1,"é\n\u0001"],"z":"a/b"}"#)
    }
}
