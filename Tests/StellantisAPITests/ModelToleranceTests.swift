import Foundation
import StellantisModels
import XCTest

/// Real payloads stray from the schemas: the models must keep what they do not know.
final class ModelToleranceTests: XCTestCase {
    func testUnknownEnumValuesAreKeptNotFatal() throws {
        let text = #"{"callbackId":"cb","type":"Telemetry","date":"2026-01-01T00:00:00Z","#
            + #""remoteEvent":{"remoteActionId":"r","remoteType":"Teleport","#
            + #""eventStatus":{"type":"Half","status":"Levitating","failureCause":"Gremlins"}}}"#
        let message = try Schemas.decode(WebhookMessage.self, json: text)
        XCTAssertEqual(message.type, .unknown("Telemetry"))
        XCTAssertEqual(message.remoteEvent?.remoteType, .unknown("Teleport"))
        XCTAssertEqual(message.remoteEvent?.eventStatus?.status, .unknown("Levitating"))
        XCTAssertEqual(message.remoteEvent?.eventStatus?.failureCause?.rawValue, "Gremlins")
        // And they travel back unchanged.
        XCTAssertTrue(Schemas.json(message).contains(#""remoteType":"Teleport""#))
    }

    func testWebhookPayloadIsASingleMessageOrABatch() throws {
        let one = #"{"callbackId":"cb","type":"Remote","remoteEvent":{"remoteActionId":"r","#
            + #""eventStatus":{"type":"Pending","status":"Accepted"}}}"#
        let single = try Schemas.decode(WebhookPayload.self, json: one)
        XCTAssertEqual(single.messages.count, 1)
        if case .batch = single { XCTFail("a single object is not a batch") }
        let batch = try Schemas.decode(WebhookPayload.self, json: "[\(one),\(one)]")
        XCTAssertEqual(batch.messages.count, 2)
        XCTAssertEqual(batch.messages[0].remoteEvent?.eventStatus?.status.known, .accepted)
        XCTAssertFalse(batch.messages[0].remoteEvent!.eventStatus!.isDone)
        XCTAssertThrowsError(try Schemas.decode(WebhookPayload.self, json: "42"))
    }

    func testMonitorEventValuesExposeTheirLiteral() throws {
        let text = #"{"type":"Monitor","monitorEvent":{"monitorId":"m","refresh":true,"values":[{"#
            + #""data":"vehicle.energy.electric.level","value":{"type":"string","body":{"literalValue":"18"}}}],"#
            + #""extensions":[{"type":"vehicle.status","body":[{"status":{"x":1}}]}]}}"#
        let message = try Schemas.decode(WebhookMessage.self, json: text)
        XCTAssertEqual(message.monitorEvent?.values.first?.literal, "18")
        XCTAssertEqual(message.monitorEvent?.refresh, true)
        XCTAssertEqual(message.monitorEvent?.extensions?.count, 1)
    }

    func testRemoteBodiesAreByteExact() throws {
        let expected = [
            #"{"charging":{"immediate":true}}"#,
            #"{"charging":{"schedule":{"nextDelayedTime":"2026-01-01T23:30:00+01:00"}}}"#,
            #"{"charging":{"preferences":{"level":"Level3","type":"Partial"}}}"#,
            #"{"preconditioning":{"airConditioning":{"immediate":true}}}"#,
        ]
        for (remote, json) in zip(ModelFixtures.remotes, expected) { XCTAssertEqual(Schemas.json(remote), json) }
        let tail = ModelFixtures.remotes.suffix(5).map { Schemas.json($0) }
        XCTAssertEqual(tail, [
            #"{"door":{"state":"Locked"}}"#,
            #"{"horn":{"state":"Activated"}}"#,
            #"{"lights":{"on":true}}"#,
            #"{"wakeUp":{"action":"WakeUp"}}"#,
            #"{"navigation":{"driverApproval":false,"positions":[{"coordinates":[2.3333,48.8667],"type":"Point"}]}}"#,
        ])
    }

    func testARemoteCarriesExactlyOneAction() throws {
        XCTAssertThrowsError(try Schemas.decode(Remote.self, json: #"{"horn":{"state":"Activated"},"lights":{"on":true}}"#)) {
            XCTAssertTrue("\($0)".contains("exactly one action"), "\($0)")
        }
        XCTAssertThrowsError(try Schemas.decode(Remote.self, json: #"{"label":"x"}"#))
        let other = try Schemas.decode(Remote.self, json: #"{"label":"x","immobilization":{"activate":true}}"#)
        XCTAssertEqual(other.actionKey, "immobilization")
        XCTAssertEqual(other.remoteType.known, .immobilization)
        for remote in ModelFixtures.remotes {
            XCTAssertEqual(try Schemas.decode(Remote.self, json: Schemas.json(remote)), remote)
        }
    }

    func testPagesToleratesMissingCountsAndEmbedded() throws {
        let page = try Schemas.decode(Page<Vehicle>.self, json: #"{"_links":{"self":{"href":"/v"}}}"#)
        XCTAssertEqual(page.items, [])
        XCTAssertNil(page.nextHref)
        let next = try Schemas.decode(Page<RemoteAction>.self, json: #"{"_links":{"self":{"href":"/r"},"#
            + #""next":{"href":"/r?pageToken=2"}},"total":3,"totalPage":2,"currentPage":1,"#
            + #""_embedded":{"remoteActions":[{"remoteActionId":"a","status":"Accepted","remote":{"bogus":1,"more":2}}]}}"#)
        XCTAssertEqual(next.nextHref, "/r?pageToken=2")
        XCTAssertEqual(next.items.first?.status?.known, .accepted)
        XCTAssertNil(next.items.first?.remote, "an unreadable remote body does not hide the action")
    }

    func testTokensNeverPrint() {
        let token = OAuthToken(accessToken: "AT-secret", refreshToken: "RT-secret", expiresIn: 3600)
        XCTAssertFalse("\(token)".contains("secret"))
        XCTAssertFalse(String(reflecting: token).contains("secret"))
    }

    func testBrandRealms() {
        XCTAssertEqual(Brand.peugeot.realm, "clientsB2CPeugot/OTPPeugeot")
        XCTAssertEqual(Brand.vauxhall.realm, "clientsB2CVauxhall/OTPVauxhall")
        XCTAssertEqual(Brand(realm: "clientsB2CDS/OTPDS"), .ds)
        XCTAssertEqual(Brand.allCases.count, 5)
    }
}
