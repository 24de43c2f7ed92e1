import Foundation
import Logging
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// The kill switch against a running `ServeRuntime` and the simulator: a pause written by
/// another connection (as `vigie pause` does) holds the queued command, firings during the
/// pause are recorded as `paused`, and the resume sends what is still fresh — or drops it
/// as `stale` when it waited too long.
final class PauseServeTests: XCTestCase {
    static let hornThenLights = """
        vigie: 1
        bundle: test
        rules:
          - id: horn-and-lights
            when: battery.level < 20
            then:
              - horn: on
              - lights: on
          - id: very-low
            when: battery.level < 13
            then:
              - notify: "{{vin}} very low"
        """

    private func remote(_ h: ServeHarness, _ body: String) throws -> ActionRecord? {
        try h.actions().first { $0.kind == "remote" && $0.payload.contains(body) }
    }

    /// Starts serve with the guardrails, fires the rule, and pauses everything while the
    /// horn is in flight and the lights command is queued behind it. Returns once the horn
    /// is done (the vehicle is free, so only the pause holds the lights back).
    private func pausedWithTheLightsQueued(_ h: ServeHarness) async throws {
        try await h.startSimulator()
        let quiet = Logger(label: "safety-test") { _ in SwiftLogNoOpLogHandler() }
        let safety = SafetyGuard(policy: SafetyPolicy(staleAfter: 300), database: try h.database(), logger: quiet)
        try await h.startRuntime(rules: Self.hornThenLights, guard: safety) { $0.staleAfter = 300 }
        let vin = h.vins[0]
        let first = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(first, 200)
        try await h.waitUntil("the horn is sent", step: 0) { try self.remote(h, "horn")?.remoteActionId != nil }

        try h.database().addHold(ControlHoldRecord(kind: .pause, reason: "test", createdAt: Date()))
        XCTAssertNotNil(SafetyFixtures.poll(deadline: 1) {
            safety.dispatchHold(vin: vin, bundle: "test", rule: "horn-and-lights", now: h.clock.now()) == .paused
        }, "the pause reaches the running guard within a second")
        try await h.waitUntil("the horn is done") { try self.remote(h, "horn")?.actionStatus == .succeeded }
        // Simulated and real time go by: the lights stay queued, never POSTed.
        await h.advance(20)
        try await Task.sleep(nanoseconds: 600_000_000)
        XCTAssertEqual(try remote(h, "lights")?.actionStatus, .queued)
        let sent = try await h.simulatorRemotes(vin)
        XCTAssertEqual(sent.count, 1, "only the horn reached the API")
    }

    func testAPauseHoldsTheQueuedCommandAndTheResumeSendsIt() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        try await pausedWithTheLightsQueued(h)
        let vin = h.vins[0]

        // A firing while paused is recorded as a suppression; nothing is queued for it.
        let rearm = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "30"])
        let again = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "12"])
        XCTAssertEqual([rearm, again], [200, 200])
        try await h.waitUntil("the paused firing is recorded", step: 0) { try h.firings().count == 3 }
        let decided = try h.firings().map { "\($0.rule) \($0.event) \($0.reason ?? "-")" }
        // The engine's own `running` (mode: single, the lights still queued) comes first.
        XCTAssertEqual(decided, ["horn-and-lights fired -", "horn-and-lights suppressed running", "very-low suppressed paused"])
        XCTAssertFalse(try h.actions().contains { $0.kind == "notify" }, "a paused notify is not sent either")

        XCTAssertEqual(try h.database().resumeHolds(matching: ControlSelector(), at: Date()).count, 1)
        try await h.waitUntil("the lights succeed") { try self.remote(h, "lights")?.actionStatus == .succeeded }
        let sent = try await h.simulatorRemotes(vin)
        XCTAssertEqual(sent.count, 2, "horn and lights, each once")
        XCTAssertEqual(try h.actions().filter { $0.kind == "remote" }.count, 2)
    }

    func testACommandThatWaitedLongerThanTheStaleAgeIsDroppedOnResume() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        try await pausedWithTheLightsQueued(h)
        let vin = h.vins[0]
        await h.advance(400)

        XCTAssertEqual(try h.database().resumeHolds(matching: ControlSelector(), at: Date()).count, 1)
        try await h.waitUntil("the lights are dropped", step: 0) { try self.remote(h, "lights")?.actionStatus == .skipped }
        XCTAssertEqual(try remote(h, "lights")?.failureCause, "stale")
        let sent = try await h.simulatorRemotes(vin)
        XCTAssertEqual(sent.count, 1, "the stale command never reached the API")
    }
}
