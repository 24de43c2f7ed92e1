import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import StellantisModels
import VehicleData
import VigieTestSupport
import WebhookServer
import XCTest

/// Fleet bodies built from api-b2b-webhook-template-v3.yaml, damaged by the same mutator
/// as the B2C fuzz: the receiver always answers 200, stores or dead-letters every event
/// (an envelope it cannot read is one dead letter), and what it stores is a `Message`
/// naming its vehicle that the shared reader reads without trouble.
final class FleetFuzzTests: XCTestCase {
    private let secret = "s3cr3t-Ab9fQ2xZ7kLm"

    func testMutatedFleetBodiesAreAlwaysStoredOrDeadLettered() async throws {
        let fuzz = FuzzRun(defaultCases: 1_500, defaultSeed: 0x5EED_0B2B)
        let templates = try FleetTemplateMessages()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bodies = try (0..<fuzz.cases).map { index -> String in
            var g = SeededRandom(seed: fuzz.seed &+ UInt64(index))
            let count = Int.random(in: 1...4, using: &g)
            let date = "2026-03-02T22:0\(Int.random(in: 0...9, using: &g)):00Z"
            let body: JSONValue
            if Bool.random(using: &g) {
                body = try templates.monitorEvents(monitorId: "fmon-1", (0..<count).map { i in
                    .init(vin: "VR3FLEET\(Int.random(in: 0..<9, using: &g))", eventDate: date,
                          values: [("vehicle.energy.electric.level", "\(Int.random(in: 0...100, using: &g))")],
                          status: i % 2 == 0 ? .object(["kinetic": .object(["moving": .bool(true)])]) : nil)
                })
            } else {
                body = try templates.remoteEvents(callbackId: "rcb-1", (0..<count).map { i in
                    .init(remoteActionId: "ra-\(i)", vin: "VR3FLEET\(i)", eventDate: date,
                          type: ["Pending", "Done"].randomElement(using: &g)!, status: "Success")
                })
            }
            let text = String(decoding: try encoder.encode(body), as: UTF8.self)
            return Int.random(in: 0..<4, using: &g) == 0 ? text : WebhookBodyMutator.mutated(text, &g)
        }

        let store = try OutcomeDatabase.inMemory()
        let app = Application(router: buildRouter(configuration: WebhookConfiguration(secret: secret, maxBodyBytes: 1 << 20),
                                                  committer: InboxCommitter(database: store)))
        let secret = self.secret
        let totals = try await app.test(.router) { client in
            var totals = (stored: 0, deadLetters: 0)
            for body in bodies {
                let answer = try await client.execute(uri: "/webhook/\(secret)", method: .post,
                                                      headers: [.contentType: "application/json"],
                                                      body: ByteBuffer(string: body)) { response in
                    (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Int])
                }
                let context = String(body.prefix(300))
                XCTAssertEqual(answer.0, .ok, context)
                guard let counts = answer.1, let stored = counts["stored"], let duplicates = counts["duplicates"],
                      let deadLetters = counts["deadLetters"] else {
                    XCTFail("no counts in the answer: \(context)")
                    continue
                }
                let total = stored + duplicates + deadLetters
                if let events = (try? JSONValue(parsing: body))?["events"]?.arrayValue {
                    XCTAssertTrue(total == events.count || (total == 1 && stored + duplicates == 0), "\(counts): \(context)")
                } else {
                    XCTAssertTrue(total <= 1, "\(counts): \(context)")
                }
                totals.stored += stored
                totals.deadLetters += deadLetters
            }
            return totals
        }
        let inbox = try store.inbox()
        XCTAssertTrue(inbox.allSatisfy { $0.dedupKey.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F } }, "dedup keys are ASCII")
        XCTAssertEqual(inbox.count, totals.stored)
        XCTAssertEqual(try store.deadLetters().count, totals.deadLetters)
        XCTAssertGreaterThan(totals.stored, 0)
        XCTAssertGreaterThan(totals.deadLetters, 0)
        for row in inbox {
            let message = try JSONDecoder().decode(WebhookMessage.self, from: Data(row.body.utf8))
            XCTAssertTrue(message.monitorEvent != nil || message.remoteEvent?.remoteActionId != nil, row.body)
            if let event = (try JSONValue(parsing: row.body))["monitorEvent"] { _ = MonitorEventReader.read(event) }
            XCTAssertEqual(row.type, message.type?.rawValue, row.body)
        }
    }

    /// A date that is not printable ASCII does not lead the dedup key: a NUL would cut the
    /// key short in SQLite (two different events then look like one), and canonically
    /// equivalent spellings would be one Swift key for two rows.
    func testOnlyAPrintableASCIIDateLeadsTheDedupKey() async throws {
        let hash = NotificationParser.dedupKey(Data("{}".utf8))
        XCTAssertEqual(NotificationParser.dedupKey(Data("{}".utf8), date: "2026-03-02T22:00:00Z"), "2026-03-02T22:00:00Z/" + hash)
        for date in ["2026-03-02\u{0}T22", "2026-03-02T22:00:00Z\u{E9}", "2026-03-02 22:00", "2026\u{7F}", ""] {
            XCTAssertEqual(NotificationParser.dedupKey(Data("{}".utf8), date: date), hash, date)
        }
        let store = try OutcomeDatabase.inMemory()
        // JSON escapes: a NUL inside the date, and é precomposed or as e + combining acute.
        let bodies = [#"2026-03-02\u0000T22:00:00Z"#, #"2026-03-02\u0000T23:00:00Z"#, #"2026-03-02T22:00:00Z\u00e9"#,
                      #"2026-03-02T22:00:00Ze\u0301"#].map { date in
            #"{"monitorId": "m", "events": [{"vin": "V1", "eventDate": "\#(date)", "values": []}]}"#
        }
        var stored = 0
        for body in bodies { stored += try await store.receive(NotificationParser().parse(Data(body.utf8))).storedIds.count }
        XCTAssertEqual(stored, 4, "four different events")
        XCTAssertEqual(try store.inbox().count, 4)
    }
}
