import Foundation
import StellantisModels
import VigieTestSupport
import XCTest

/// Loads the official OpenAPI files once and checks model values against their schemas.
enum Schemas {
    static let b2c = try! OpenAPIDocument.official("api-b2c.yaml")
    static let b2b = try! OpenAPIDocument.official("api-b2b.yaml")
    static let b2cWebhook = try! OpenAPIDocument.official("api-b2c-webhook-template.yaml")
    static let b2bWebhook = try! OpenAPIDocument.official("api-b2b-webhook-template-v3.yaml")

    static let all: [(String, OpenAPIDocument)] = [
        ("api-b2c.yaml", b2c), ("api-b2b.yaml", b2b),
        ("api-b2c-webhook-template.yaml", b2cWebhook), ("api-b2b-webhook-template-v3.yaml", b2bWebhook),
    ]

    /// Encodes `value` and asserts it satisfies `schema` of `document`.
    static func assertValid<T: Encodable>(_ value: T, _ schema: String, in document: OpenAPIDocument,
                                          file: StaticString = #filePath, line: UInt = #line) {
        do {
            let violations = try JSONSchemaValidator(document: document).validate(encoding: value, schemaNamed: schema)
            XCTAssertEqual(violations.map(\.description), [], "\(schema): \(json(value))", file: file, line: line)
        } catch {
            XCTFail("\(schema): \(error)", file: file, line: line)
        }
    }

    /// Sorted-key JSON text of an encodable value.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, json text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
