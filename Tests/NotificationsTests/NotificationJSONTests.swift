import Notifications
import VehicleData
import XCTest

/// The channels' bodies come from VehicleData's JSON writer: keys sorted, `/` and
/// non-ASCII plain, control characters escaped, one line whatever the text.
final class NotificationJSONTests: XCTestCase {
    func testKeysSortedSlashesPlainControlEscaped() {
        let body: JSONValue = .object(["z": .string("a/b"), "a": .object(["x": .null, "b": .bool(true)]),
                                       "m": .array([.number(1), .string("é\n\u{01}")])])
        XCTAssertEqual(NotificationJSON.string(body), #"{"a":{"b":true,"x":null},"m":[1,"é\n\u0001"],"z":"a/b"}"#)
    }

    func testEveryEscapeTheChannelsRelyOn() {
        let text = "\"\\\u{08}\u{0C}\t\r\u{1F}\u{2028}\u{2029}\u{7F}ü😀"
        XCTAssertEqual(NotificationJSON.string(.string(text)), #""\"\\\b\f\t\r\u001f\u2028\u2029\u007fü😀""#)
        XCTAssertEqual(NotificationJSON.string(.number(5)), "5")
    }
}
