import Foundation
import StellantisModels
import VigieTestSupport
import XCTest

/// Every model value encodes to a body its schema accepts.
final class ModelSchemaTests: XCTestCase {
    typealias F = ModelFixtures

    func testB2CResourcesMatchTheirSchemas() {
        Schemas.assertValid(F.user, "User", in: Schemas.b2c)
        Schemas.assertValid(F.vehicle, "Vehicle", in: Schemas.b2c)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [F.vehicle]),
                            "Vehicles", in: Schemas.b2c)
        Schemas.assertValid(F.position, "Position", in: Schemas.b2c)
        Schemas.assertValid(F.alert, "Alert", in: Schemas.b2c)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [F.alert]),
                            "Alerts", in: Schemas.b2c)
    }

    func testB2CCallbacksMatchTheirSchemas() {
        Schemas.assertValid(F.subscribe, "CallbackSubscribe", in: Schemas.b2c)
        Schemas.assertValid(F.callback, "UserCallback", in: Schemas.b2c)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [F.callback]),
                            "UserCallbacks", in: Schemas.b2c)
        Schemas.assertValid(CallbackRef(callbackId: "cb1", links: ["callback": F.link]), "CallbackRef", in: Schemas.b2c)
        Schemas.assertValid(CallbackStatusSetter(status: .paused), "CallbacksStatusSetter", in: Schemas.b2c)
    }

    func testEveryRemoteBodyMatchesTheRemoteSchemaOfBothAPIs() {
        for remote in F.remotes {
            Schemas.assertValid(remote, "Remote", in: Schemas.b2c)
            Schemas.assertValid(remote, "Remote", in: Schemas.b2b)
        }
        Schemas.assertValid(RemotePostResponse(remoteActionId: "ra1", type: .doors), "RemotePostResponse", in: Schemas.b2c)
        Schemas.assertValid(F.remoteAction, "RemoteAction", in: Schemas.b2c)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [F.remoteAction]),
                            "RemoteActions", in: Schemas.b2c)
    }

    func testB2BCallbacksMatchTheirSchemas() {
        Schemas.assertValid(F.b2bSubscribe, "RemoteCallbackSubscribe", in: Schemas.b2b)
        let callback = Callback(id: "rcb1", subscribe: F.b2bSubscribe, status: .running, links: ["self": F.link])
        Schemas.assertValid(callback, "RemoteCallback", in: Schemas.b2b)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [callback]),
                            "RemoteCallbacks", in: Schemas.b2b)
        Schemas.assertValid(Page(links: F.pageLinks, total: 1, totalPage: 1, currentPage: 1, items: [F.vehicle]),
                            "Vehicles", in: Schemas.b2b)
    }

    func testWebhookMessagesMatchTheTemplates() {
        Schemas.assertValid(F.monitorMessage, "Message", in: Schemas.b2cWebhook)
        Schemas.assertValid(F.remoteMessage, "Message", in: Schemas.b2cWebhook)
        let fleetRemote = FleetRemoteEvents(callbackId: "rcb1", events: [
            MessageRemoteEvent(remoteActionId: "ra1", remoteType: .horn,
                               eventStatus: .init(type: .pending, status: .sentToVehicle),
                               vin: "VF3ABCDE0FG123456", eventDate: "2026-01-01T10:00:00Z"),
        ])
        Schemas.assertValid(fleetRemote, "RemoteEvents", in: Schemas.b2bWebhook)
        var event = F.monitorMessage.monitorEvent!
        event.fleetId = "f1"
        event.vin = "VF3ABCDE0FG123456"
        event.eventDate = "2026-01-01T10:00:00Z"
        Schemas.assertValid(FleetMonitorEvents(monitorId: "m1", events: [event]), "MonitorEvents", in: Schemas.b2bWebhook)
    }

    func testErrorBodyUnionMatchesEverySchema() {
        let body = APIErrorBody(code: 40499, uuid: "u-1", message: "No data", timestamp: "2026-01-01T00:00:00Z",
                                debug: "CMP_1")
        for (_, document) in Schemas.all { Schemas.assertValid(body, "xError", in: document) }
    }

    func testSchemaShapedStatusIsKeptWhole() throws {
        let text = #"{"updatedAt":"2026-01-01T10:00:00Z","energies":[{"type":"Electric","level":55}],"#
            + #""lastPosition":{"type":"Feature","geometry":{"type":"Point","coordinates":[2.3,48.8,35]},"#
            + #""properties":{"createdAt":"2026-01-01T10:00:00Z"}}}"#
        let status = try Schemas.decode(VehicleStatus.self, json: text)
        XCTAssertEqual(status.updatedAt, "2026-01-01T10:00:00Z")
        XCTAssertEqual(status.lastPosition?.geometry.latitude, 48.8)
        XCTAssertEqual(status.lastPosition?.geometry.altitude, 35)
        XCTAssertEqual(status.json["energies"]?.arrayValue?.first?["level"], .number(55))
    }
}
