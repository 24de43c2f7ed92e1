import VehicleData
import XCTest

/// The one JSON writer: each setting its users rely on.
final class JSONWriterTests: XCTestCase {
    let value: JSONValue = .object([
        "b": .array([.number(1), .number(2.5), .bool(true), .null]),
        "a": .string("x/y é"),
        "c": .object([:]),
        "d": .array([]),
    ])

    func testLayouts() {
        XCTAssertEqual(JSONWriter(layout: .compact).string(value),
                       #"{"a":"x/y é","b":[1,2.5,true,null],"c":{},"d":[]}"#)
        XCTAssertEqual(JSONWriter(layout: .spaced).string(value),
                       #"{"a": "x/y é", "b": [1, 2.5, true, null], "c": {}, "d": []}"#)
        XCTAssertEqual(JSONWriter(layout: .pretty).string(.object(["k": .array([.number(1), .object(["z": .null])])])),
                       "{\n  \"k\": [\n    1,\n    {\n      \"z\": null\n    }\n  ]\n}")
    }

    func testKeysSortedWhateverTheInsertionOrder() {
        let a = JSONValue.object(["zeta": .number(1), "alpha": .number(2), "Mid": .number(3)])
        XCTAssertEqual(JSONWriter.compact.string(a), #"{"Mid":3,"alpha":2,"zeta":1}"#)
    }

    func testIntegralNumbersBelowTheLimitPrintAsIntegers() {
        let below15 = JSONWriter(integralBelow: 1e15)
        XCTAssertEqual(below15.number(999_999_999_999_999), "999999999999999")
        XCTAssertEqual(below15.number(1e15), "1000000000000000.0")
        XCTAssertEqual(JSONWriter.compact.number(2e15), "2000000000000000")
        XCTAssertEqual(JSONWriter.compact.number(-18), "-18")
        XCTAssertEqual(JSONWriter.compact.number(0.1), "0.1")
        XCTAssertEqual(JSONWriter.compact.number(1e19), "1e+19")
        XCTAssertEqual(JSONWriter.compact.number(.infinity), "null")
        XCTAssertEqual(JSONWriter.compact.number(.nan), "null")
        let upTo53 = JSONWriter(integralBelow: 9_007_199_254_740_992.0.nextUp)
        XCTAssertEqual(upTo53.number(9_007_199_254_740_992), "9007199254740992")
    }

    func testEscapes() {
        let text = "q\"b\\n\nr\rt\tbs\u{08}ff\u{0C}nul\u{00}del\u{7F}ls\u{2028}ps\u{2029}"
        XCTAssertEqual(JSONWriter.compact.quoted(text),
                       "\"q\\\"b\\\\n\\nr\\rt\\tbs\\u0008ff\\u000cnul\\u0000del\u{7F}ls\u{2028}ps\u{2029}\"")
        XCTAssertEqual(JSONWriter(shortControlEscapes: true).quoted("\u{08}\u{0C}"), "\"\\b\\f\"")
        XCTAssertEqual(JSONWriter(escapeLineSeparators: true).quoted("\u{7F}\u{2028}\u{2029}"),
                       "\"\\u007f\\u2028\\u2029\"")
    }

    /// What it writes reads back as the same value.
    func testRoundTripThroughTheParser() throws {
        for layout in [JSONWriter.Layout.compact, .spaced, .pretty] {
            let text = JSONWriter(layout: layout).string(value)
            XCTAssertEqual(try JSONValue(parsing: text), value, "\(layout)")
        }
    }
}
