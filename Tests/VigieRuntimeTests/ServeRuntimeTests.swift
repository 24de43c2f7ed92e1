import Foundation
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// `ServeRuntime` against the in-process simulator over loopback: a notification through
/// the receiver → decision → remote POSTed → Pending → Done → outcome in the database.
final class ServeRuntimeTests: XCTestCase {
    static let hornRule = """
        vigie: 1
        bundle: test
        rules:
          - id: horn-when-low
            when: battery.level < 20
            then:
              - horn: on
              - notify: "{{vin}} low at {{battery.level}} %"
        """

    func testANotificationEndsAsASucceededCommand() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: Self.hornRule)
        let vin = h.vins[0]

        let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(status, 200)
        try await h.waitUntil("the command succeeds") {
            try h.actions().first { $0.kind == "remote" }?.actionStatus == .succeeded
        }
        let firings = try h.firings()
        XCTAssertEqual(firings.map(\.event), ["fired"])
        XCTAssertEqual(firings.first?.rule, "horn-when-low")
        XCTAssertNotNil(firings.first?.inboxId, "the decision names the notification that caused it")
        let actions = try h.actions()
        XCTAssertEqual(actions.map(\.kind), ["remote", "notify"])
        XCTAssertEqual(actions[0].payload, #"{"horn":{"state":"Activated"}}"#)
        XCTAssertEqual(actions[1].actionStatus, .notified)
        XCTAssertEqual(actions[1].payload, "\(vin) low at 15 %")
        let remotes = try await h.simulatorRemotes(vin)
        XCTAssertEqual(remotes.map(\.remoteActionId), [actions[0].remoteActionId!], "exactly one POST")
        let attempts = try h.database().attempts(actionId: actions[0].id!)
        XCTAssertEqual(attempts.map(\.outcome), ["succeeded"])
        XCTAssertEqual(attempts.first?.remoteActionId, actions[0].remoteActionId)

        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.commands, ["outcome": "succeeded"]), 1)
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.decisions, ["event": "fired", "reason": "none"]), 1)
        let (code, text) = try await h.get("/metrics")
        XCTAssertEqual(code, 200)
        XCTAssertTrue(text.contains(#"vigie_remote_events_total{type="Done"} 1"#), text)
        XCTAssertTrue(text.contains(#"vigie_observations_total{source="notification"} 1"#), text)
        XCTAssertTrue(text.contains(#"vigie_commands_total{outcome="succeeded"} 1"#), text)
        XCTAssertTrue(text.contains("vigie_inbox_unprocessed 0"), text)
        XCTAssertTrue(text.contains("# TYPE vigie_outbox_queued gauge"), text)
        let (healthCode, _) = try await h.get("/healthz")
        XCTAssertEqual(healthCode, 200)
    }
}
