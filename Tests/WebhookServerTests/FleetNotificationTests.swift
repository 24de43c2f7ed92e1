import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OutcomeStore
import StellantisModels
import VehicleData
import VigieTestSupport
import WebhookServer
import XCTest

/// B2B fleet notifications (api-b2b-webhook-template-v3.yaml), built from the template's
/// own schemas (`FleetTemplateMessages`), read by the receiver: one inbox notification
/// per event, written as the equivalent B2C `Message`; what cannot be used is a dead
/// letter with its reason, logged at warning.
final class FleetNotificationTests: XCTestCase {
    private static let secret = "s3cr3t-Ab9fQ2xZ7kLm"
    private let vins = ["VR3UHZKXZLT000001", "VR3UHZKXZLT000002", "VR3UHZKXZLT000003"]

    private func field(_ alias: String) -> FieldID { Catalog.field(named: alias)!.id }

    private func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    private func monitorBody(_ templates: FleetTemplateMessages) throws -> JSONValue {
        let status: JSONValue = .object(["energies": .array([.object([
            "type": .string("Electric"), "level": .number(64), "autonomy": .number(250),
        ])])])
        let position: JSONValue = .object(["type": .string("Feature"), "geometry": .object([
            "type": .string("Point"), "coordinates": .array([.number(2.35), .number(48.85)]),
        ]), "properties": .object([:])])
        return try templates.monitorEvents(monitorId: "mon-7", attributes: [("source", "fleet")], vins.enumerated().map {
            FleetTemplateMessages.MonitorEvent(vin: $0.element, eventDate: "2026-03-02T22:0\($0.offset):00Z",
                                               values: [("vehicle.energy.electric.level", "1\($0.offset)")],
                                               status: status, position: position)
        })
    }

    func testEveryEventOfAFleetMonitorBatchIsOneNotificationOfItsVehicle() throws {
        let templates = try FleetTemplateMessages()
        let body = try monitorBody(templates)
        let batch = NotificationParser().parse(Data(text(body).utf8))
        XCTAssertEqual(batch.deadLetters, [])
        XCTAssertEqual(batch.notifications.map(\.vin), vins)
        XCTAssertEqual(batch.notifications.map(\.type), ["Monitor", "Monitor", "Monitor"])
        XCTAssertEqual(batch.notifications.map(\.eventDate),
                       ["2026-03-02T22:00:00Z", "2026-03-02T22:01:00Z", "2026-03-02T22:02:00Z"])
        let events = try XCTUnwrap(body["events"]?.arrayValue)
        for (notification, event) in zip(batch.notifications, events) {
            let stored = try JSONValue.parsing(json: notification.body)
            // The Message that says the same: the event whole, with the envelope's monitorId.
            var expected = try XCTUnwrap(event.objectValue)
            expected["monitorId"] = .string("mon-7")
            XCTAssertEqual(stored["monitorEvent"], .object(expected))
            XCTAssertEqual(stored["type"], .string("Monitor"))
            XCTAssertEqual(stored["attributes"], body["attributes"])
            // It decodes as the models of both templates read it.
            let message = try JSONDecoder().decode(WebhookMessage.self, from: Data(notification.body.utf8))
            XCTAssertEqual(message.monitorEvent?.vin, notification.vin)
            XCTAssertEqual(message.monitorEvent?.fleetId, "fleet-1")
            XCTAssertEqual(message.monitorEvent?.values.first?.literal, event["values"]?.arrayValue?.first?["value"]?["body"]?["literalValue"]?.stringValue)
            // Read as the engine reads it: the extensions (object bodies), then the values.
            let reading = MonitorEventReader.read(stored["monitorEvent"]!)
            XCTAssertEqual(reading.observation[field("battery.level")], .number(Double(message.monitorEvent!.values[0].literal!)!))
            XCTAssertEqual(reading.observation[field("battery.autonomy")], .number(250))
            XCTAssertEqual(reading.observation[field("position")], .point(latitude: 48.85, longitude: 2.35))
            XCTAssertEqual(reading.warnings, [])
        }
    }

    func testTheFleetModelsDecodeTemplateBuiltBodies() throws {
        let templates = try FleetTemplateMessages()
        let monitors = try JSONDecoder().decode(FleetMonitorEvents.self, from: Data(text(try monitorBody(templates)).utf8))
        XCTAssertEqual(monitors.monitorId, "mon-7")
        XCTAssertEqual(monitors.events.map(\.vin), vins)
        XCTAssertEqual(monitors.events.map { $0.extensions?.count }, [2, 2, 2])
        let remotes = try JSONDecoder().decode(FleetRemoteEvents.self, from: Data(text(try templates.remoteEvents(
            callbackId: "cb-9", [.init(remoteActionId: "ra-1", vin: vins[0], eventDate: "2026-03-02T22:06:00Z",
                                       type: "Done", status: "Failed", failureCause: "NotPossibleDueToVehicleBatteryLevel")])).utf8))
        XCTAssertEqual(remotes.events.first?.eventStatus?.status, .known(.failed))
        XCTAssertEqual(remotes.events.first?.eventStatus?.failureCause?.rawValue, "NotPossibleDueToVehicleBatteryLevel")
    }

    func testFleetRemoteEventsAreRemoteNotificationsWithTheirFailureCause() throws {
        let templates = try FleetTemplateMessages()
        let body = try templates.remoteEvents(callbackId: "cb-9", [
            .init(remoteActionId: "ra-1", vin: vins[0], eventDate: "2026-03-02T22:06:00Z", type: "Pending", status: "Accepted"),
            .init(remoteActionId: "ra-1", vin: vins[0], eventDate: "2026-03-02T22:07:00Z", type: "Done", status: "Failed",
                  failureCause: "VehicleConnectionTimeout"),
        ])
        let batch = NotificationParser().parse(Data(text(body).utf8))
        XCTAssertEqual(batch.deadLetters, [])
        XCTAssertEqual(batch.notifications.map(\.type), ["Remote", "Remote"])
        XCTAssertEqual(batch.notifications.map(\.vin), [vins[0], vins[0]])
        let last = try JSONDecoder().decode(WebhookMessage.self, from: Data(batch.notifications[1].body.utf8))
        XCTAssertEqual(last.callbackId, "cb-9")
        XCTAssertEqual(last.remoteEvent?.remoteActionId, "ra-1")
        XCTAssertEqual(last.remoteEvent?.eventStatus?.failureCause?.rawValue, "VehicleConnectionTimeout")
        XCTAssertNotEqual(batch.notifications[0].dedupKey, batch.notifications[1].dedupKey)
    }

    func testUnusableFleetEventsAreDeadLettersWithTheirReason() throws {
        let templates = try FleetTemplateMessages()
        var body = try XCTUnwrap(try monitorBody(templates).objectValue)
        var events = try XCTUnwrap(body["events"]?.arrayValue)
        events[1] = .string("junk")
        events[2] = .object(["vin": .string(vins[2])])
        events.append(.object(["remoteActionId": .string("ra-1"), "eventStatus": .object([
            "type": .string("Done"), "status": .string("Success")])]))
        events.append(.object(["vin": .number(5), "values": .array([])]))
        body["events"] = .array(events)
        let batch = NotificationParser().parse(Data(text(.object(body)).utf8))
        // A bare {vin} in a MonitorEvents envelope is a monitor event that changes nothing.
        XCTAssertEqual(batch.notifications.map(\.vin), [vins[0], vins[2]])
        XCTAssertEqual(batch.deadLetters.map(\.error), [
            "events[1]: an event must be a JSON object",
            "events[3]: a remote event in a MonitorEvents (monitorId) envelope",
            "events[4]: vin: expected a string",
        ])
        XCTAssertEqual(batch.deadLetters[0].body, "\"junk\"")

        let remote = try templates.remoteEvents(callbackId: "cb", [
            .init(remoteActionId: "ra-2", vin: vins[0], eventDate: "2026-03-02T22:06:00Z", type: "Done", status: "Success"),
        ])
        var withoutId = try XCTUnwrap(remote.objectValue)
        var event = try XCTUnwrap(remote["events"]?.arrayValue?.first?.objectValue)
        event["remoteActionId"] = nil
        withoutId["events"] = .array([.object(event)])
        XCTAssertEqual(NotificationParser().parse(Data(text(.object(withoutId)).utf8)).deadLetters.map(\.error),
                       ["events[0]: remoteActionId is missing"])
        let envelopes: [(String, String)] = [
            (#"{"monitorId": "m", "events": {}}"#, "events: expected an array"),
            (#"{"events": [{"vin": "V"}]}"#,
             "events[0]: neither a monitor event (values, extensions) nor a remote event (remoteActionId, eventStatus)"),
            (#"{"events": [{"values": [], "eventStatus": {"type": "Done", "status": "Success"}}]}"#,
             "events[0]: holds keys of both a monitor event (values, extensions) and a remote event (remoteActionId, eventStatus)"),
            (#"{"monitorId": 5, "events": []}"#, "monitorId: expected a string"),
            (#"{"monitorId": "m", "callbackId": "c", "events": []}"#,
             "both monitorId (MonitorEvents) and callbackId (RemoteEvents) are present"),
        ]
        for (json, reason) in envelopes {
            XCTAssertEqual(NotificationParser().parse(Data(json.utf8)).deadLetters.map(\.error), [reason], json)
        }
    }

    func testARetriedFleetBatchIsRecognisedAndSetAsideItemsAreLoggedAtWarning() async throws {
        let templates = try FleetTemplateMessages()
        let body = text(try monitorBody(templates))
        var junkBody = try XCTUnwrap(try monitorBody(templates).objectValue)
        junkBody["events"] = .array((0..<8).map { _ in .string("junk") })
        let junk = text(.object(junkBody))
        let sink = LogCapture()
        let store = try OutcomeDatabase.inMemory()
        let router = buildRouter(configuration: WebhookConfiguration(secret: Self.secret), committer: InboxCommitter(database: store),
                                 logger: sink.logger(label: "test"))
        try await Application(router: router).test(.router) { client in
            for expected in [(3, 0), (0, 3)] {
                let json = try await Self.post(client, body)
                XCTAssertEqual(json["stored"] as? Int, expected.0)
                XCTAssertEqual(json["duplicates"] as? Int, expected.1)
            }
            XCTAssertEqual(try store.inbox().count, 3)
            XCTAssertTrue(sink.records.isEmpty, "\(sink.records)")
            let json = try await Self.post(client, junk)
            XCTAssertEqual(json["deadLetters"] as? Int, 8)
        }
        let lines = sink.records
        XCTAssertEqual(lines.count, 6, "\(lines)")
        XCTAssertTrue(lines.allSatisfy { $0.level == .warning })
        XCTAssertEqual(lines.first?.metadata["reason"], "events[0]: an event must be a JSON object")
        XCTAssertEqual(lines.last?.metadata["more"], "3")
        XCTAssertFalse(lines.contains { "\($0)".contains(Self.secret) })
    }

    private static func post(_ client: any TestClientProtocol, _ text: String) async throws -> [String: Any] {
        try await client.execute(uri: "/webhook/\(Self.secret)", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: text)) { response in
            XCTAssertEqual(response.status, .ok)
            return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        }
    }
}
