import Foundation
import OutcomeStore
import StellantisModels
import VehicleData
@testable import WebhookServer
import XCTest

/// The receiver reads bodies with VehicleData's parser and writes each message back in
/// its canonical form (`MessageJSON`): the form the inbox stores and the dedup key
/// hashes.
final class CanonicalJSONTests: XCTestCase {
    private let documents = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
        #"  [ 1 , -2.5 , 3e2, 0.000125, -0, 1E-3 ]  "#,
        #""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude97 é""#,
        #"{"nested":[[[{"x":[]}]]],"empty":{},"big":12345678901234}"#,
        "[]", "{}", "0", "\"\"",
        SampleMessages.monitor(), SampleMessages.remote(),
    ]

    private func parse(_ data: Data) -> JSONValue? {
        try? data.withUnsafeBytes { try JSONValue(parsingUTF8: $0.bindMemory(to: UInt8.self)) }
    }

    func testReadsWhatJSONDecoderReads() throws {
        for text in documents {
            let expected = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            XCTAssertEqual(parse(Data(text.utf8)), expected, text)
        }
    }

    func testCanonicalFormIsValidSortedAndStable() throws {
        for text in documents {
            let value = try XCTUnwrap(parse(Data(text.utf8)))
            let canonical = Data(MessageJSON.bytes(value))
            XCTAssertEqual(try JSONDecoder().decode(JSONValue.self, from: canonical), value, text)
            XCTAssertEqual(MessageJSON.bytes(parse(canonical)!), Array(canonical))
        }
        XCTAssertEqual(String(decoding: MessageJSON.bytes(parse(Data(#"{ "b" : 2, "a" : [1.5, "x\n"] }"#.utf8))!),
                              as: UTF8.self), #"{"a":[1.5,"x\n"],"b":2}"#)
    }

    func testRejectsWhatIsNotJSON() {
        let bad = ["", "{", "[1,]", "{\"a\":}", "01", "1.", ".5", "+1", "tru", "nul", "\"open", "\"bad \\x\"",
                   "\"\\u12\"", "\"\\ud800\"", "{\"a\" 1}", "[1 2]", "1 2", "{'a':1}", "\"tab\there\"", "NaN",
                   String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)]
        for text in bad {
            XCTAssertNil(parse(Data(text.utf8)), text)
        }
    }
}
