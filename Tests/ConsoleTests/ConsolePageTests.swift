import Console
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import XCTest

/// What the pages show, pagination, the pause → resume flow and the live stream.
final class ConsolePageTests: XCTestCase {
    func testVehiclesArePaginatedWithTheirLastValuesAndAges() async throws {
        let h = try ConsoleHarness(vehicles: 120)
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let first = String(buffer: try await ConsoleHarness.get(client, "/console/vehicles", cookie: cookie).body)
            XCTAssertTrue(first.contains("page 1 of 3 (120 vehicles)"), first)
            XCTAssertTrue(first.contains(ConsoleFixture.vin(0)))
            XCTAssertFalse(first.contains(ConsoleFixture.vin(50)))
            XCTAssertTrue(first.contains("<b>battery.level</b> 10 <i>1m 00s</i>"), first)
            let last = String(buffer: try await ConsoleHarness.get(client, "/console/vehicles?page=3", cookie: cookie).body)
            XCTAssertTrue(last.contains(ConsoleFixture.vin(119)))
            XCTAssertFalse(last.contains(ConsoleFixture.vin(99)))
            XCTAssertTrue(last.contains(#"href="/console/vehicles?page=2" rel="prev""#), last)
            let one = String(buffer: try await ConsoleHarness.get(client, "/console/vehicles?vin=\(ConsoleFixture.vin(7))",
                                                                 cookie: cookie).body)
            XCTAssertTrue(one.contains(ConsoleFixture.vin(7)))
            XCTAssertFalse(one.contains(ConsoleFixture.vin(8)))
        }
    }

    func testAVehiclePageShowsEachRuleWithItsStateAndLastDecisions() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            // Vehicle 2: low-battery ((2+0)%10 == 2: armed... ) — vehicle 0: low-battery pending, charging latched.
            let page = String(buffer: try await ConsoleHarness.get(client, "/console/vehicles/\(ConsoleFixture.vin(0))",
                                                                  cookie: cookie).body)
            XCTAssertTrue(page.contains("<td>fleet/low-battery</td><td><span class=\"tag pending\">pending</span></td>"), page)
            XCTAssertTrue(page.contains("<td>fleet/charging</td><td><span class=\"tag latched\">latched</span></td>"), page)
            // pending for 30 s of a 5 min `for`: fires 4m30s from now.
            XCTAssertTrue(page.contains("charging.status</td><td class=\"v\">InProgress"), page)
            XCTAssertTrue(page.contains("/console/decisions/"), page)
            XCTAssertTrue(page.contains("cooldown"), page)
            let missing = try await ConsoleHarness.get(client, "/console/vehicles/NOPE", cookie: cookie)
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testRulesByVehiclesFilterByBundleRuleAndVin() async throws {
        let h = try ConsoleHarness(vehicles: 30)
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let all = String(buffer: try await ConsoleHarness.get(client, "/console/rules", cookie: cookie).body)
            XCTAssertTrue(all.contains("fleet/low-battery") && all.contains("fleet/charging"))
            let one = String(buffer: try await ConsoleHarness.get(client, "/console/rules?rule=charging", cookie: cookie).body)
            XCTAssertFalse(one.contains("fleet/low-battery"))
            XCTAssertEqual(one.components(separatedBy: "<td>fleet/charging</td>").count - 1, 30)
            let vin = String(buffer: try await ConsoleHarness.get(client, "/console/rules?vin=\(ConsoleFixture.vin(3))",
                                                                 cookie: cookie).body)
            XCTAssertEqual(vin.components(separatedBy: "<td>fleet/").count - 1, 2)
            let none = String(buffer: try await ConsoleHarness.get(client, "/console/rules?bundle=other", cookie: cookie).body)
            XCTAssertTrue(none.contains("No rule matches."))
        }
    }

    func testATraceShowsTheCommandsLife() async throws {
        let h = try ConsoleHarness(vehicles: 1)
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let trace = String(buffer: try await ConsoleHarness.get(client, "/console/decisions/1", cookie: cookie).body)
            XCTAssertTrue(trace.contains("Decision #1"), trace)
            XCTAssertTrue(trace.contains("Remote action ra-1."), trace)
            XCTAssertTrue(trace.contains("<td>202</td><td>accepted</td>"), trace)
            XCTAssertTrue(trace.contains("A timer or a sweep"), trace)
            let suppressed = String(buffer: try await ConsoleHarness.get(client, "/console/decisions/2", cookie: cookie).body)
            XCTAssertTrue(suppressed.contains("suppressed</span> — cooldown"), suppressed)
            let missing = try await ConsoleHarness.get(client, "/console/decisions/999", cookie: cookie)
            XCTAssertEqual(missing.status, .notFound)
        }
    }

    func testPauseAndResumeARuleAfterAConfirmation() async throws {
        let h = try ConsoleHarness()
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let holds = String(buffer: try await ConsoleHarness.get(client, "/console/holds", cookie: cookie).body)
            let csrf = try ConsoleHarness.csrf(in: holds)
            let confirm = try await ConsoleHarness.post(client, "/console/holds/confirm", cookie: cookie,
                                                        form: "csrf=\(csrf)&action=pause&bundle=fleet&rule=charging&reason=test")
            let question = String(buffer: confirm.body)
            XCTAssertTrue(question.contains("Pause every command and firing of rule fleet/charging?"), question)
            XCTAssertTrue(try h.database.activeHolds().isEmpty, "the confirmation page changes nothing")
            let noBundle = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: cookie,
                                                         form: "csrf=\(csrf)&rule=charging")
            XCTAssertEqual(noBundle.status, .badRequest)
            let paused = try await ConsoleHarness.post(client, "/console/holds/pause", cookie: cookie,
                                                       form: "csrf=\(csrf)&bundle=fleet&rule=charging&reason=test")
            XCTAssertTrue(String(buffer: paused.body).contains("Paused: rule fleet/charging."))
            let hold = try XCTUnwrap(try h.database.activeHolds().first)
            XCTAssertEqual([hold.bundle, hold.rule, hold.reason], ["fleet", "charging", "test"])
            XCTAssertTrue(try h.database.controlEvents(limit: nil).contains { $0.detail == "console" })
            let rules = String(buffer: try await ConsoleHarness.get(client, "/console/rules?rule=charging", cookie: cookie).body)
            XCTAssertTrue(rules.contains("pause (rule fleet/charging)"), rules)
            let resumed = try await ConsoleHarness.post(client, "/console/holds/resume", cookie: cookie,
                                                        form: "csrf=\(csrf)&bundle=fleet&rule=charging")
            XCTAssertTrue(String(buffer: resumed.body).contains("Resumed: pause on rule fleet/charging."))
            XCTAssertTrue(try h.database.activeHolds().isEmpty)
        }
    }

    func testTheStreamNamesTheVehiclesWhoseStateChanged() async throws {
        let h = try ConsoleHarness(vehicles: 3) { $0.streamEvents = 3; $0.tick = 0.2 }
        let changer = Task {
            try await Task.sleep(nanoseconds: 250_000_000)
            try await h.database.writer.write { db in
                try db.execute(sql: "UPDATE engineState SET updatedAt = ? WHERE vin = ?",
                               arguments: [Date().addingTimeInterval(60), ConsoleFixture.vin(2)])
            }
        }
        try await h.app.test(.router) { client in
            let cookie = try await ConsoleHarness.login(client)
            let response = try await ConsoleHarness.get(client, "/console/events", cookie: cookie)
            try await changer.value
            XCTAssertEqual(response.headers[.contentType], "text/event-stream; charset=utf-8")
            let text = String(buffer: response.body)
            let events = text.components(separatedBy: "event: tick\n").dropFirst()
            XCTAssertEqual(events.count, 3, text)
            XCTAssertTrue(events.contains { $0.contains("\"changed\":[\"\(ConsoleFixture.vin(2))\"]") }, text)
            XCTAssertTrue(events.allSatisfy { $0.contains("\"fired\":") && $0.contains("\"inFlight\":0") }, text)
        }
    }
}
