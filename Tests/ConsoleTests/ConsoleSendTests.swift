import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import XCTest

/// The vehicle page's manual command: confirmation, CSRF, the unlock opt-in, the same
/// outbox as `vigie send`, who asked on the trace.
final class ConsoleSendTests: XCTestCase {
    static let vin = ConsoleFixture.vin(1)

    private static func queued(_ h: ConsoleHarness) throws -> [DispatchItem] {
        try h.database.nextDispatchItems(at: Date().addingTimeInterval(60), limit: 100).filter { $0.bundle == "manual" }
    }

    func testSendAfterConfirmationQueuesAManualCommandWithTheSession() async throws {
        let h = try ConsoleHarness()
        let vin = Self.vin
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let page = String(buffer: try await ConsoleHarness.get(client, "/console/vehicles/\(vin)", cookie: cookie).body)
            XCTAssertTrue(page.contains("action=\"/console/vehicles/\(vin)/send/confirm\""), page)
            let csrf = try ConsoleHarness.csrf(in: page)
            let action = ConsoleFormEncoding.encode("charge:start")
            let confirm = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send/confirm", cookie: cookie,
                                                        form: "csrf=\(csrf)&action=\(action)")
            XCTAssertEqual(confirm.status, .ok)
            let question = String(buffer: confirm.body)
            XCTAssertTrue(question.contains("Send <code>charge: start</code> to \(vin)?"), question)
            XCTAssertTrue(question.contains("{&quot;charging&quot;:{&quot;immediate&quot;:true}}"), question)
            XCTAssertFalse(question.contains("allow_unlock"), question)
            XCTAssertTrue(try Self.queued(h).isEmpty, "the confirmation page queues nothing")

            let sent = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send", cookie: cookie,
                                                     form: "csrf=\(csrf)&action=\(ConsoleFormEncoding.encode("charge: start"))")
            XCTAssertEqual(sent.status, .ok)
            let items = try Self.queued(h)
            XCTAssertEqual(items.map(\.vin), [vin])
            XCTAssertEqual(items.map(\.rule), ["charge"])
            XCTAssertEqual(items.map(\.body), ["{\"charging\":{\"immediate\":true}}"])
            let asked = try XCTUnwrap(try h.database.manualCommands(firingIds: [items[0].firingId])[items[0].firingId])
            XCTAssertEqual(asked.via, "console")
            XCTAssertTrue(asked.requestedBy.hasPrefix("console session "), asked.requestedBy)
            XCTAssertFalse(asked.requestedBy.contains(String(cookie.split(separator: "=")[1].prefix(8))),
                           "the session's secret id is not who asked")
            XCTAssertTrue(String(buffer: sent.body).contains("Queued: charge: start for \(vin) (decision \(items[0].firingId)"))

            let trace = String(buffer: try await ConsoleHarness.get(client, "/console/decisions/\(items[0].firingId)",
                                                                    cookie: cookie).body)
            XCTAssertTrue(trace.contains("<dt>Asked by</dt><dd>\(asked.requestedBy) via console: <code>charge: start</code>"), trace)
        }
    }

    func testWithoutCSRFNothingIsQueued() async throws {
        let h = try ConsoleHarness()
        let vin = Self.vin
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            for form in ["action=horn%3A%20on", "csrf=wrong&action=horn%3A%20on"] {
                let response = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send", cookie: cookie, form: form)
                XCTAssertEqual(response.status, .forbidden, form)
            }
            let anonymous = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send", cookie: nil,
                                                          form: "action=horn%3A%20on")
            XCTAssertEqual(anonymous.status, .unauthorized)
            XCTAssertTrue(try Self.queued(h).isEmpty)
            // A script with the bearer token needs no CSRF token (a browser never sends that header by itself).
            let bearer = try await client.execute(uri: "/console/vehicles/\(vin)/send", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded",
                                                            .authorization: "Bearer \(ConsoleHarness.token)"],
                                                  body: ByteBuffer(string: "action=horn%3A%20on"))
            XCTAssertEqual(bearer.status, .ok)
            let items = try Self.queued(h)
            XCTAssertEqual(items.map(\.rule), ["horn"])
            XCTAssertEqual(try h.database.manualCommands(firingIds: [items[0].firingId])[items[0].firingId]?.requestedBy,
                           "console bearer token")
        }
    }

    func testUnlockNeedsTheConfirmationBoxAndBadActionsAreShownAtTheirColumn() async throws {
        let h = try ConsoleHarness()
        let vin = Self.vin
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let csrf = try ConsoleHarness.csrf(in: String(buffer: try await ConsoleHarness.get(client, "/console", cookie: cookie).body))
            let unlock = ConsoleFormEncoding.encode("doors: unlock")
            let confirm = String(buffer: try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send/confirm",
                                                                       cookie: cookie, form: "csrf=\(csrf)&action=\(unlock)").body)
            XCTAssertTrue(confirm.contains("name=\"allow_unlock\" value=\"yes\""), confirm)
            let unticked = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send", cookie: cookie,
                                                         form: "csrf=\(csrf)&action=\(unlock)")
            XCTAssertEqual(unticked.status, .badRequest)
            XCTAssertTrue(String(buffer: unticked.body).contains("error[sensitive-action]"), String(buffer: unticked.body))
            XCTAssertTrue(try Self.queued(h).isEmpty)
            let ticked = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send", cookie: cookie,
                                                       form: "csrf=\(csrf)&action=\(unlock)&allow_unlock=yes")
            XCTAssertEqual(ticked.status, .ok)
            XCTAssertEqual(try Self.queued(h).map(\.body), ["{\"door\":{\"state\":\"Unlocked\"}}"])

            let typo = try await ConsoleHarness.post(client, "/console/vehicles/\(vin)/send/confirm", cookie: cookie,
                                                     form: "csrf=\(csrf)&action=\(ConsoleFormEncoding.encode("charge:strat"))")
            XCTAssertEqual(typo.status, .badRequest)
            XCTAssertTrue(String(buffer: typo.body).contains("action:1:8: error[bad-action]: `charge` takes `start` or `stop`, not `strat`"),
                          String(buffer: typo.body))
            let unknown = try await ConsoleHarness.post(client, "/console/vehicles/NOSUCHVIN/send", cookie: cookie,
                                                        form: "csrf=\(csrf)&action=horn%3A%20on")
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(try Self.queued(h).count, 1)
        }
    }
}
