import Foundation
import VigieTestSupport
import XCTest
import VehicleData

final class JSONParserTests: XCTestCase {
    func testParsesWhatJSONDecoderParses() throws {
        let samples = [TestPayloads.schemaShaped, TestPayloads.realWorld, "[]", "{}", "0", "-0.5e-3", "1E+2",
                       #""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude97""#, " [1, true, false, null, \"x\", {\"k\": [ ]}] ",
                       #"{"a": 1, "a": 2}"#, "\"\u{1F697} ünïcödé\"", "123456789012345678901234567890"]
        for text in samples {
            let fast = try JSONValue(parsing: text)
            let codable = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            XCTAssertEqual(fast, codable, text)
        }
        XCTAssertEqual(try JSONValue(parsing: #""\ud83d\ude97""#), .string("\u{1F697}"))
    }

    func testRoundTripsRandomDocuments() throws {
        var rng = SeededRandom(seed: 99)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for _ in 0..<2000 {
            let value = Self.random(&rng, depth: 0)
            let text = String(decoding: try encoder.encode(value), as: UTF8.self)
            let parsed = try JSONValue(parsing: text)
            XCTAssertEqual(String(decoding: try encoder.encode(parsed), as: UTF8.self), text)
        }
    }

    func testRejectsInvalidJSONWithAnOffset() {
        let cases: [(String, Int)] = [
            ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\" 1}", 5), ("{\"a\":1,}", 7), ("01", 0), ("1.", 2), ("-", 1),
            ("tru", 0), ("nul", 0), ("\"abc", 4), ("\"a\u{1}\"", 2), ("\"\\x\"", 3), ("\"\\u12\"", 3), ("[1 2]", 3),
            ("{1: 2}", 1), ("1e999", 0), ("[] []", 3), ("NaN", 0), ("'a'", 0),
            // Unpaired UTF-16 surrogates, reported at their escape.
            ("\"\\ud800\"", 1), ("\"\\udc00\"", 1), ("[\"ab\\ud83d\\u0041\"]", 4), ("\"\\ud83d\"", 1),
        ]
        for (text, offset) in cases {
            XCTAssertThrowsError(try JSONValue(parsing: text), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, offset, "\(text): \(error)")
            }
        }
    }

    func testDeepNestingFailsInsteadOfOverflowingTheStack() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSONValue(parsing: deep)) { error in
            XCTAssertEqual((error as? JSONParseError)?.message, "nesting deeper than 512")
        }
        let ok = String(repeating: "{\"a\":", count: 500) + "1" + String(repeating: "}", count: 500)
        XCTAssertNoThrow(try JSONValue(parsing: ok))
    }

    func testRandomBytesNeverCrash() {
        var rng = SeededRandom(seed: 3)
        let alphabet = Array("{}[]\":,0123456789.eE+-truefalsnl \\u\t\n\u{0}é".utf8)
        for _ in 0..<5000 {
            let bytes = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
        }
    }

    static func random(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        switch rng.next() % (depth > 4 ? 4 : 6) {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(Double(Int64(bitPattern: rng.next()) % 1_000_000) / 8)
        case 3: return .string(String((0..<Int(rng.next() % 8)).map { _ in "aZ\"\\\n\u{1}é🚗 /".randomElement(using: &rng)! }))
        case 4: return .array((0..<Int(rng.next() % 4)).map { _ in random(&rng, depth: depth + 1) })
        default:
            var o: [String: JSONValue] = [:]
            for k in 0..<Int(rng.next() % 4) { o["k\(k)\u{e9}"] = random(&rng, depth: depth + 1) }
            return .object(o)
        }
    }
}
