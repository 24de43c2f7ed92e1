import Foundation
import StellantisModels
import VigieRuntime
import VigieTestSupport
import XCTest
@testable import VigieKit

/// The callback `vigie apply` posts follows the official files: for B2B, a
/// `RemoteCallbackSubscribe` of api-b2b.yaml (`remoteTypes` required, `retryPolicy`
/// only `None` or `Bounded`); for B2C, a `CallbackSubscribe` of api-b2c.yaml.
final class CallbackBodySchemaTests: XCTestCase {
    private func config(kind: String) throws -> VigieConfig {
        let api = kind == "b2c"
            ? "api:\n  kind: b2c\n  client_id: c\n  client_secret: {env: S}\n  brand: peugeot\n  token_store: tokens.json\n"
            : "api:\n  kind: b2b\n  client_id: c\n  client_secret: {env: S}\n  fleet_id: f1\n"
        let yaml = api + "callback:\n  public_url: https://vigie.example.com/hooks\n  webhook_secret: {env: W}\nrules: [rules]\n"
        return try VigieConfig.parse(yaml: yaml, file: "vigie.yaml", folder: URL(fileURLWithPath: "/tmp"),
                                     environment: ["S": "client-secret", "W": "webhook-secret-0123456789"])
    }

    func testTheB2BRemoteCallbackFollowsRemoteCallbackSubscribe() throws {
        let body = CallbackBody.make(try config(kind: "b2b"))
        let validator = JSONSchemaValidator(document: try OpenAPIDocument.official("api-b2b.yaml"))
        XCTAssertEqual(try validator.validate(encoding: body, schemaNamed: "RemoteCallbackSubscribe").map(\.description), [])
        XCTAssertEqual(body.retryPolicy?.policy, "Bounded")
        // Every remote a rule action can send is subscribed to.
        XCTAssertEqual(Set(body.remoteTypes?.compactMap(\.known) ?? []),
                       [.electricBatteryChargingRequest, .thermalPreconditioning, .doors, .horn, .lights, .wakeUp, .navigation])
    }

    func testTheB2CCallbackFollowsCallbackSubscribe() throws {
        let body = CallbackBody.make(try config(kind: "b2c"))
        let validator = JSONSchemaValidator(document: try OpenAPIDocument.official("api-b2c.yaml"))
        XCTAssertEqual(try validator.validate(encoding: body, schemaNamed: "CallbackSubscribe").map(\.description), [])
    }
}
