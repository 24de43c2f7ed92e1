import Foundation
import Logging
import OutcomeStore
import RuleEngine
import XCTest
@testable import VigieRuntime

/// Manual commands (`vigie send`, the console) against a running `ServeRuntime` and the
/// simulator: queued from another connection, they are sent by the dispatcher like a
/// rule's command — held by a pause, counted by the daily budget — and woken by the
/// control watcher, not the safety sweep.
final class ManualCommandServeTests: XCTestCase {
    static let horn = """
        vigie: 1
        bundle: test
        rules:
          - id: horn
            when: battery.level < 20
            then:
              - horn: on
        """

    private func remote(_ h: ServeHarness, _ body: String) throws -> ActionRecord? {
        try h.actions().first { $0.kind == "remote" && $0.payload.contains(body) }
    }

    /// Starts serve with the guardrails (the sweep an hour away: only a signal wakes the
    /// dispatcher) and waits until the engine knows the vehicle.
    private func start(_ h: ServeHarness, commandsPerDay: Int = 10) async throws -> SafetyGuard {
        try await h.startSimulator()
        let quiet = Logger(label: "manual-test") { _ in SwiftLogNoOpLogHandler() }
        let safety = SafetyGuard(policy: SafetyPolicy(staleAfter: 3600), database: try h.database(), logger: quiet)
        try await h.startRuntime(rules: Self.horn, guard: safety) { settings in
            settings.sweep = 3600
            settings.commandsPerDay = commandsPerDay
        }
        let vin = h.vins[0]
        let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "50"])
        XCTAssertEqual(status, 200)
        try await h.waitUntil("the engine knows the vehicle", step: 0) {
            try h.database().engineState(scope: "serve").vehicles[vin] != nil
        }
        return safety
    }

    private func send(_ h: ServeHarness, _ text: String) throws -> ManualCommandRecord {
        let (action, errors) = ManualAction.parse(text, allowUnlock: false, optIn: .flag("--allow-unlock"))
        XCTAssertEqual(errors, [])
        let parsed = try XCTUnwrap(action)
        let now = Date()
        return try h.database().enqueueManualCommand(
            parsed.request(vin: h.vins[0], requestedBy: "alice", via: "cli", at: now,
                           timeZone: try XCTUnwrap(ZoneClock(identifier: "UTC"))), at: now)
    }

    func testAPauseHoldsAManualCommandAndTheResumeSendsIt() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        _ = try await start(h)
        let vin = h.vins[0]
        try h.database().addHold(ControlHoldRecord(kind: .pause, vin: vin, reason: "test", createdAt: Date()))
        let record = try send(h, "lights: on")
        // Simulated and real time go by: the command stays queued, never POSTed.
        try await Task.sleep(nanoseconds: 800_000_000)
        await h.advance(20)
        XCTAssertEqual(try remote(h, "lights")?.actionStatus, .queued)
        let none = try await h.simulatorRemotes(vin)
        XCTAssertEqual(none.count, 0)

        XCTAssertEqual(try h.database().resumeHolds(matching: ControlSelector(vin: vin), at: Date()).count, 1)
        try await h.waitUntil("the manual command succeeds") { try self.remote(h, "lights")?.actionStatus == .succeeded }
        let one = try await h.simulatorRemotes(vin)
        XCTAssertEqual(one.count, 1)
        let logged = try h.database().loggedDecisions(LogFilter(bundle: "manual"))
        XCTAssertEqual(logged.map(\.firing.id), [record.firingId])
        XCTAssertEqual(logged.first?.actionRecords.first?.attempts, 1)
    }

    func testAManualCommandIsSentWithoutWaitingForTheSweep() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        _ = try await start(h)
        _ = try send(h, "horn: on")
        // The control watcher (250 ms) sees the version move and wakes the dispatcher; the
        // sweep is an hour away. Simulated time stands still until the POST is recorded.
        try await h.waitUntil("the manual command is POSTed", timeout: 5, step: 0) {
            try self.remote(h, "horn")?.remoteActionId != nil
        }
    }

    func testTheDailyBudgetCountsRuleAndManualCommandsAlike() async throws {
        let h = ServeHarness()
        addTeardownBlock { await h.stop() }
        _ = try await start(h, commandsPerDay: 1)
        let vin = h.vins[0]
        let fired = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "15"])
        XCTAssertEqual(fired, 200)
        try await h.waitUntil("the rule's horn succeeds") { try self.remote(h, "horn")?.actionStatus == .succeeded }
        _ = try send(h, "lights: on")
        try await h.waitUntil("the manual command is skipped") { try self.remote(h, "lights")?.actionStatus == .skipped }
        XCTAssertEqual(try remote(h, "lights")?.failureCause, "budget")
        let sent = try await h.simulatorRemotes(vin)
        XCTAssertEqual(sent.count, 1, "only the rule's horn reached the API")
    }
}
