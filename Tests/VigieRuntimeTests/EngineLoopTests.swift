import Foundation
import OutcomeStore
import RuleEngine
import XCTest
@testable import VigieRuntime

/// The engine loop: stale data, `for` timers across a restart, draining on shutdown,
/// the guardrails' review.
final class EngineLoopTests: XCTestCase {
    static let forRule = """
        vigie: 1
        bundle: test
        rules:
          - id: horn-when-low
            when: battery.level < 20
            for: 5m
            then:
              - horn: on
        """

    func testAStaleObservationUpdatesStateButItsFiringIsSuppressed() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let vin = h.vins[0]
        // A notification the API retried for ten minutes.
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"],
                           date: h.clock.now().addingTimeInterval(-600))
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "suppressed")
        XCTAssertEqual(firing.reason, "stale")
        XCTAssertEqual(firing.actions, "[]")
        XCTAssertEqual(try h.actions(), [], "nothing to send")
        XCTAssertEqual(runtime.metrics.value(RuntimeMetrics.decisions, ["event": "suppressed", "reason": "stale"]), 1)
        // The state did update: the battery level is known to the engine.
        let saved = try h.database().engineState(scope: "serve").vehicles[vin]
        let snapshot = try JSONDecoder().decode(VehicleSnapshot.self, from: try XCTUnwrap(saved))
        XCTAssertEqual(snapshot.fields.first { $0.field == "battery.level" }?.value, .number(15))
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 0)
    }

    func testAForTimerResumesAfterARestart() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: Self.forRule)
        let vin = h.vins[0]
        let t0 = h.clock.now()
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"], date: t0)
        try await h.waitUntil("the pending state is saved", step: 0) {
            try h.database().unprocessedInbox().isEmpty && h.database().engineState(scope: "serve").vehicles[vin] != nil
        }
        await h.stopRuntime()
        XCTAssertEqual(try h.firings(), [], "not yet: the condition must hold 5 minutes")
        h.clock.advance(by: 360)                      // the process was down past the end of `for`
        try await h.startRuntime(rules: Self.forRule)
        try await h.waitUntil("the timer fires", step: 0) { try !h.firings().isEmpty }
        let firing = try XCTUnwrap(h.firings().first)
        XCTAssertEqual(firing.event, "fired")
        XCTAssertEqual(Timestamp.format(firing.at), Timestamp.format(t0.addingTimeInterval(300)),
                       "fired at the end of `for`, as an uninterrupted run would")
        try await h.waitUntil("its command succeeds") { try h.actions().first?.actionStatus == .succeeded }
    }

    func testShutdownProcessesWhatTheInboxHolds() async throws {
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let vin = h.vins[0]
        let port = try XCTUnwrap(runtime.boundPort)
        for level in ["15", "70", "14", "80"] {
            let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": level], port: port)
            XCTAssertEqual(status, 200)
        }
        await h.stopRuntime()
        XCTAssertEqual(try h.database().unprocessedInbox(), [], "every acknowledged notification was processed")
        // The second rise comes while the first firing's command is still running (`mode: single`).
        XCTAssertEqual(try h.firings().map(\.event), ["fired", "suppressed"])
        XCTAssertEqual(try h.firings().map(\.reason), [nil, "running"])
        let state = try h.database().engineState(scope: "serve")
        XCTAssertGreaterThanOrEqual(state.checkpoint?.position ?? 0, 4, "checkpointed past the last notification")
    }

    func testTheGuardrailsReviewEveryDecision() async throws {
        struct PauseAll: DecisionGuard {
            func review(_ d: Decision, observedAt: Date, now: Date) -> Decision {
                d.event == .fired ? Decision(at: d.at, vin: d.vin, bundle: d.bundle, rule: d.rule, event: .suppressed,
                                             reason: .paused, actions: []) : d
            }
            func dispatchHold(vin: String, bundle: String, rule: String, queuedAt: Date?, now: Date) -> Decision.Reason? { .paused }
            func recordBudgetStop(vin: String, at: Date, detail: String?) {}
        }
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        try await h.startRuntime(rules: ServeRuntimeTests.hornRule, guard: PauseAll())
        let vin = h.vins[0]
        try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        try await h.waitUntil("the decision is recorded", step: 0) { try !h.firings().isEmpty }
        XCTAssertEqual(try h.firings().first?.reason, "paused")
        // A command already queued stays queued while the hold lasts.
        try h.commitDecision(vin: vin)
        await h.advance(5)
        XCTAssertEqual(try h.actions().last?.actionStatus, .queued)
        let posted = try await h.simulatorRemotes(vin)
        XCTAssertEqual(posted.count, 0)
    }
}
