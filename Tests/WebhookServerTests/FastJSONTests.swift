import Foundation
import OutcomeStore
import VehicleData
@testable import WebhookServer
import XCTest

final class FastJSONTests: XCTestCase {
    private let documents = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"  [ 1 , -2.5 , 3e2, 0.000125, -0, 1E-3 ]  "#,
        #""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude97 é""#,
        #"{"nested":[[[{"x":[]}]]],"empty":{},"big":12345678901234}"#,
        "[]", "{}", "0", "\"\"",
        SampleMessages.monitor(), SampleMessages.remote(),
    ]

    func testReadsWhatJSONDecoderReads() throws {
        for text in documents {
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            XCTAssertEqual(FastJSON.parse(Data(text.utf8)), expected, text)
        }
    }

    func testCanonicalFormIsValidSortedAndStable() throws {
        for text in documents {
            let value = try XCTUnwrap(FastJSON.parse(Data(text.utf8)))
            let canonical = Data(FastJSON.canonical(value))
            XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: canonical), value, text)
            XCTAssertEqual(FastJSON.canonical(FastJSON.parse(canonical)!), Array(canonical))
        }
        XCTAssertEqual(String(decoding: FastJSON.canonical(FastJSON.parse(Data(#"{ "b" : 2, "a" : [1.5, "x\n"] }"#.utf8))!),
                              as: UTF8.self), #"{"a":[1.5,"x\n"],"b":2}"#)
    }

    func testRejectsWhatIsNotJSON() {
        let bad = ["", "{", "[1,]", "{\"a\":}", "01", "1.", ".5", "+1", "tru", "nul", "\"open", "\"bad \\x\"",
                   "\"\\u12\"", "\"\\ud800\"", "{\"a\" 1}", "[1 2]", "1 2", "{'a':1}", "\"tab\there\"", "NaN",
                   String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)]
        for text in bad {
            XCTAssertNil(FastJSON.parse(Data(text.utf8)), text)
        }
    }
}
