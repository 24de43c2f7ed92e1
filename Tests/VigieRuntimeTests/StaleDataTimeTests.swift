import AsyncHTTPClient
import Foundation
import NIOCore
import OutcomeStore
import VehicleData
import XCTest
@testable import VigieRuntime

/// Issue 19 part 3: serve judges stale data by the data time of the values a firing reads
/// (SEMANTICS.md "Data time and age"), not by the notification's `date`.
final class StaleDataTimeTests: XCTestCase {
    static let offlineRule = """
        vigie: 1
        bundle: test
        rules:
          - id: offline
            when: age(battery.level) > 1h
            then:
              - notify: "{{vin}} silent"
        """

    /// POSTs a notification dated now whose `vehicle.status` extension says the battery
    /// level `level` was measured at `updatedAt`.
    private func notifyStatus(_ h: ServeHarness, vin: String, level: Int, updatedAt: Date) async throws {
        let status: JSONValue = .object(["energies": .array([.object([
            "type": .string("Electric"), "level": .number(Double(level)),
            "updatedAt": .string(Timestamp.format(updatedAt)),
        ])])])
        let ext: JSONValue = .object(["type": .string("vehicle.status"), "body": .object(["status": status])])
        let event: JSONValue = .object(["monitorId": .string("mon-1"), "values": .array([]), "extensions": .array([ext])])
        let attribute: JSONValue = .object(["key": .string("vin"), "value": .string(vin)])
        let message: JSONValue = .object([
            "callbackId": .string(h.callbackID), "type": .string("Monitor"), "attributes": .array([attribute]),
            "date": .string(Timestamp.format(h.clock.now())), "monitorEvent": event,
        ])
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(h.runtime!.boundPort!)/webhook/\(h.secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: StoreJSON.data(message)))
        let response = try await h.http.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        XCTAssertEqual(response.status.code, 200)
    }

    func testAFreshNotificationCarryingSixHourOldDataIsSuppressedAsStale() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let vin = h.vins[0]
        try await notifyStatus(h, vin: vin, level: 15, updatedAt: h.clock.now().addingTimeInterval(-6 * 3600))
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "suppressed", "the notification is fresh, the level it carries is not")
        XCTAssertEqual(firing.reason, "stale")
        XCTAssertEqual(try h.actions(), [], "nothing to send")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.decisions, ["event": "suppressed", "reason": "stale"]), 1)
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 0)
    }

    func testFreshDataFires() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let vin = h.vins[0]
        try await notifyStatus(h, vin: vin, level: 15, updatedAt: h.clock.now().addingTimeInterval(-60))
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "fired")
        XCTAssertNil(firing.reason)
    }

    func testAFreshValueIsStaleWhenTheRuleAlsoReadsAnOldOne() async throws {
        let rules = """
            vigie: 1
            bundle: test
            rules:
              - id: low-and-unplugged
                when: battery.level < 20 and not charging.plugged
                then:
                  - horn: on
            """
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: rules)
        let vin = h.vins[0]
        // `charging.plugged` is known from a notification dated six hours ago…
        try await h.notify(vin: vin, values: ["vehicle.energy.charging.plugged": "false"],
                           date: h.clock.now().addingTimeInterval(-6 * 3600))
        try await h.waitUntil("the old notification is observed", step: 0) { try h.database().unprocessedInbox().isEmpty }
        // …and a fresh one brings the level: the firing reads both.
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "suppressed")
        XCTAssertEqual(firing.reason, "stale")
    }

    func testAnAgeConditionActsOnTheAgeItselfAndIsNotStale() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: Self.offlineRule)
        let vin = h.vins[0]
        try await notifyStatus(h, vin: vin, level: 50, updatedAt: h.clock.now().addingTimeInterval(-6 * 3600))
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "fired", "an offline alert reads the data's age, not its value")
    }
}
