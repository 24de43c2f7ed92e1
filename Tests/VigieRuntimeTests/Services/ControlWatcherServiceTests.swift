import Foundation
import VehicleData
import OutcomeStore
import Synchronization
import XCTest
@testable import VigieRuntime

/// The control watcher alone and beside a dispatcher, on an in-memory store: a pause, a
/// resume or a command written to the store by another process (`vigie pause`, `vigie
/// resume`, `vigie send` cannot signal serve) reaches the dispatcher within the watcher's
/// period.
final class ControlWatcherServiceTests: XCTestCase {
    func testItLooksEveryPeriodAndWakesTheDispatcherOnlyWhenTheHoldsChanged() async throws {
        let clock = ManualClock(ServiceFixture.start)
        let wake = DispatchWake()
        let looks = Mutex<[Date]>([])
        let changed = Mutex(false)
        let watcher = ControlWatcher(check: { now in
            looks.withLock { $0.append(now) }
            return changed.withLock { $0 }
        }, clock: clock, dispatcher: wake, period: .milliseconds(20))
        let task = Task { try await watcher.run() }
        defer { task.cancel() }

        try await waitUntil("several looks") { looks.withLock { $0.count } >= 3 }
        XCTAssertEqual(looks.withLock { $0.first }, ServiceFixture.start, "each look is at the runtime clock's now")
        let quiet = Date()
        await wake.wait(until: nil, clock: clock, sweep: 0.2)   // no change: only the sweep ends this wait
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(quiet), 0.19, "woken although nothing changed")
        changed.withLock { $0 = true }
        let changedAt = Date()
        await wake.wait(until: nil, clock: clock, sweep: 5)
        XCTAssertLessThan(Date().timeIntervalSince(changedAt), 4, "not woken when the holds changed")
    }

    func testAPauseAndAResumeFromAnotherProcessReachTheDispatcher() async throws {
        let database = try OutcomeDatabase.inMemory()
        let guardrails = SafetyGuard(policy: SafetyPolicy(), database: database)
        let rig = try DispatchRig(database: database, guardrails: guardrails)
        let watcher = ControlWatcher(check: { guardrails.watch(now: $0, force: false) }, clock: rig.clock,
                                     dispatcher: rig.wake, period: .milliseconds(50))
        let watching = Task { try await watcher.run() }
        defer { watching.cancel() }
        rig.start()

        // `vigie pause` in another process: only the store changes.
        try database.addHold(ControlHoldRecord(kind: .pause, reason: "test", createdAt: rig.clock.now()))
        try await waitUntil("the guard sees the pause") {
            guardrails.dispatchHold(vin: "V1", bundle: "b", rule: "r", queuedAt: nil, now: rig.clock.now()) == .paused
        }
        try DispatcherServiceTests.queue(["V1"], in: database)
        rig.wake.wake()   // as the engine does after queuing
        try await Task.sleep(nanoseconds: 300_000_000)
        XCTAssertEqual(rig.api.calls, 0, "sent while paused")
        XCTAssertEqual(try database.runtimeQueueDepths().outboxQueued, 1)

        // `vigie resume` in another process: the watcher sees it and wakes the dispatcher.
        _ = try database.resumeHolds(matching: ControlSelector(), at: rig.clock.now())
        try await waitUntil("sent once resumed", timeout: 3) { rig.api.posts.count == 1 }
        await rig.stop()
    }

    /// `vigie send` in another process queues a command and bumps the control version:
    /// the watcher wakes the dispatcher within its period; without it the command would
    /// wait for the dispatcher's safety sweep (10 s).
    func testACommandQueuedByAnotherProcessIsSentWithinThePeriod() async throws {
        for watching in [true, false] {
            let database = try OutcomeDatabase.inMemory()
            let guardrails = SafetyGuard(policy: SafetyPolicy(), database: database)
            let rig = try DispatchRig(database: database, guardrails: guardrails)
            let watcher = ControlWatcher(check: { guardrails.watch(now: $0, force: false) }, clock: rig.clock,
                                         dispatcher: rig.wake, period: .milliseconds(50))
            let task = watching ? Task { try await watcher.run() } : nil
            rig.start()
            try await Task.sleep(nanoseconds: 200_000_000)   // the dispatcher is idle, waiting
            _ = try database.enqueueManualCommand(
                ManualCommandRequest(vin: "V1", action: "horn", name: "horn", body: DispatcherServiceTests.horn,
                                     requestedBy: "test", via: "cli", requireKnownVehicle: false),
                at: rig.clock.now())
            if watching {
                try await waitUntil("sent within the watcher's period", timeout: 3) { rig.api.posts.count == 1 }
            } else {
                try await Task.sleep(nanoseconds: 1_000_000_000)
                XCTAssertEqual(rig.api.calls, 0, "without the watcher, nothing woke the dispatcher")
            }
            task?.cancel()
            await rig.stop()
        }
    }
}
