import Foundation
import StellantisModels
import VigieTestSupport
import XCTest

/// Decodes every schema-level `example` of the official files that a model covers,
/// re-encodes it, and checks the round trip is lossless and valid against the schema.
final class SchemaExampleTests: XCTestCase {
    /// Schema name → round trip through the model (returns the re-encoded value).
    static let models: [String: @Sendable (JSONValue) throws -> JSONValue] = [
        "Point": roundTrip(GeoPoint.self),
        "xError": roundTrip(APIErrorBody.self),
        "Attribute": roundTrip(CallbackAttribute.self),
        "Webhook": roundTrip(Webhook.self),
        "RemoteAttributeSet": roundTrip([CallbackAttribute].self),
        "VehiclePictures": roundTrip([String].self),
        "CallbackStatus": roundTripKnown(CallbackStatus.self),
        "RemoteActionStatus": roundTripKnown(RemoteActionStatus.self),
        "RemoteType": roundTripKnown(RemoteType.self),
    ]

    static func roundTrip<T: Codable>(_ type: T.Type) -> @Sendable (JSONValue) throws -> JSONValue {
        { try JSONValue.encoding(try $0.decoded(as: T.self)) }
    }

    static func roundTripKnown<E>(_ type: E.Type) -> @Sendable (JSONValue) throws -> JSONValue
    where E: RawRepresentable & Sendable & Hashable, E.RawValue == String {
        { value in
            let decoded = try value.decoded(as: OpenEnum<E>.self)
            guard decoded.known != nil else { throw CocoaError(.coderInvalidValue) }
            return try JSONValue.encoding(decoded)
        }
    }

    /// `example`s at the top of a schema or of one of its `allOf` parts.
    static func examples(of schema: OpenAPIValue) -> [OpenAPIValue] {
        var found: [OpenAPIValue] = []
        if let e = schema["example"] { found.append(e) }
        for part in schema["allOf"]?.arrayValue ?? [] {
            if let e = part["example"] { found.append(e) }
        }
        return found
    }

    func testEveryModelledExampleRoundTrips() throws {
        var checked: [String] = []
        for (file, document) in Schemas.all {
            let schemas = document.root["components"]?["schemas"]?.objectValue ?? [:]
            for name in schemas.keys.sorted() {
                guard let model = Self.models[name], let schema = schemas[name] else { continue }
                for example in Self.examples(of: schema) {
                    let reencoded = try model(example)
                    XCTAssertEqual(reencoded, example, "\(file) \(name): lossy round trip")
                    let violations = JSONSchemaValidator(document: document).validate(reencoded, against: schema)
                    XCTAssertEqual(violations.map(\.description), [], "\(file) \(name)")
                    checked.append("\(file):\(name)")
                }
            }
        }
        // Point, xError, Attribute, Webhook in both API files; the webhook templates' xError;
        // RemoteAttributeSet and RemoteType of api-b2b.yaml; CallbackStatus, RemoteActionStatus of api-b2c.yaml.
        XCTAssertGreaterThanOrEqual(checked.count, 12, "examples checked: \(checked)")
        XCTAssertTrue(checked.contains("api-b2b.yaml:xError"))
        XCTAssertTrue(checked.contains("api-b2c-webhook-template.yaml:xError"))
    }

    func testB2BErrorExampleCarriesCodeUUIDAndMessage() throws {
        let example = try XCTUnwrap(Schemas.b2b.schema(named: "xError")?["example"])
        let body = try example.decoded(as: APIErrorBody.self)
        XCTAssertEqual(body.code, 40499)
        XCTAssertEqual(body.uuid, "494f61d1-472a-4696-ac3c-2961496c3aaf")
        XCTAssertEqual(body.message, "No data availble for such context.")
        XCTAssertEqual(body.timestamp, "2020-01-01T00:00:00.000Z")
    }
}
