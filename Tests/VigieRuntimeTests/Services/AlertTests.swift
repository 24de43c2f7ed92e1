import Foundation
import VehicleData
import OutcomeStore
import Synchronization
import XCTest
@testable import VigieRuntime

/// Vigie's own alerts on an in-memory store and a manual clock, without sockets: each
/// kind fires once per incident and once when resolved, and a restart neither repeats an
/// open incident nor loses an alert that was due.
final class AlertTests: XCTestCase {
    /// Keeps what it is given; fails while `failing` is set.
    final class RecordingSink: AlertSink {
        private let state = Mutex<(requests: [NotificationRequest], failing: Bool)>(([], false))
        var requests: [NotificationRequest] { state.withLock { $0.requests } }
        func setFailing(_ value: Bool) { state.withLock { $0.failing = value } }
        func deliver(_ request: NotificationRequest) async throws {
            try state.withLock { s in
                if s.failing { throw CancellationError() }
                s.requests.append(request)
            }
        }
        /// `kind/state` of each alert, in order.
        var summary: [String] { requests.map { "\($0.alert ?? "-")/\($0.alertState ?? "-")" } }
    }

    /// A value tests change while the monitor reads it.
    final class Shared<T: Sendable>: Sendable {
        private let value: Mutex<T>
        init(_ initial: T) { value = Mutex(initial) }
        var current: T { value.withLock { $0 } }
        func set(_ new: T) { value.withLock { $0 = new } }
        func update(_ change: (inout T) -> Void) { value.withLock { change(&$0) } }
    }

    /// One runtime's alert parts over a store that outlives them (a restart makes new ones).
    struct Rig {
        let store: OutcomeDatabase
        let clock: ManualClock
        let sink = RecordingSink()
        let events = AlertEvents()
        let center: AlertCenter
        let monitor: AlertMonitor

        init(store: OutcomeDatabase, clock: ManualClock, readiness: Shared<(Bool, String?)>? = nil,
             refused: Shared<Int>? = nil) {
            self.store = store
            self.clock = clock
            center = AlertCenter(store: store, sink: sink, channels: ["ops", "phone"], vehicleNames: ["VIN1": "Zoé"],
                                 clock: clock, logger: .init(label: "test"))
            let budget = DispatchBudget(commandsPerDay: 10, wakeUpsPerDay: 2, wakeUpsPerMonth: 20,
                                        timeZone: TimeZone(identifier: "Europe/Paris")!)
            var probe: (@Sendable () -> (ready: Bool, reason: String?))?
            if let readiness { probe = { (ready: readiness.current.0, reason: readiness.current.1) } }
            var count: (@Sendable () -> Int)?
            if let refused { count = { refused.current } }
            monitor = AlertMonitor(center: center, events: events, store: store, clock: clock, budget: budget,
                                   readiness: probe, refusedCalls: count, logger: .init(label: "test"))
        }
    }

    let t0 = Date(timeIntervalSince1970: 1_796_600_000)   // 2026-12-06T23:33:20Z (00:33 on the 7th in Paris)

    func testSessionAlertsOnceAndOnceResolvedAndNotAgainAfterRestart() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let api = Shared<(Bool, String?)>((false, "not connected yet"))
        let rig = Rig(store: store, clock: clock, readiness: api)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, [], "not connected yet is no session failure")

        api.set((false, "session unavailable: authentication failed: refresh token revoked"))
        await rig.monitor.pass()
        clock.advance(by: 60)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["session-expired/firing"])
        let firing = try XCTUnwrap(rig.sink.requests.first)
        XCTAssertEqual(firing.channels, ["ops", "phone"])
        XCTAssertEqual(firing.kind, .alert)
        XCTAssertEqual(firing.priority, "high")
        XCTAssertTrue(firing.text.contains("Run `vigie login`"), firing.text)
        XCTAssertTrue(firing.text.contains("refresh token revoked"), firing.text)
        XCTAssertEqual(firing.at, t0)

        // A restart while the session is still dead: the open incident is not alerted again.
        let again = Rig(store: store, clock: clock, readiness: api)
        try await again.center.flush()
        await again.monitor.pass()
        XCTAssertEqual(again.sink.summary, [])

        // The network fails meanwhile: not a resolution.
        api.set((false, "connection failed: refused"))
        await again.monitor.pass()
        XCTAssertEqual(again.sink.summary, [])

        api.set((true, nil))
        clock.advance(by: 60)
        await again.monitor.pass()
        await again.monitor.pass()
        XCTAssertEqual(again.sink.summary, ["session-expired/resolved"])
        let resolved = try XCTUnwrap(again.sink.requests.first)
        XCTAssertEqual(resolved.title, "Resolved: Vigie: Stellantis session expired")
        XCTAssertEqual(resolved.priority, "normal")
        XCTAssertEqual(resolved.at, t0.addingTimeInterval(120))
        XCTAssertEqual(try store.openAlertIncidents(), [])
    }

    func testAtStartupAMissingSessionAlerts() async throws {
        let store = try OutcomeDatabase.inMemory()
        let api = Shared<(Bool, String?)>((false, "authentication failed: no stored tokens: run `vigie login`"))
        let rig = Rig(store: store, clock: ManualClock(t0), readiness: api)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["session-expired/firing"])
    }

    func testCommandFailedOncePerRuleAndVehicleUntilOneSucceeds() async throws {
        let rig = Rig(store: try OutcomeDatabase.inMemory(), clock: ManualClock(t0))
        func transition(_ status: ActionStatus, vin: String = "VIN1", rule: String = "low-battery") -> DispatchTransition {
            var t = DispatchTransition(actionId: 1, vin: vin, status: status, failureCause: status == .failed ? "HTTP 400" : nil,
                                       retryAt: nil, completed: nil)
            t.bundle = "ev"
            t.rule = rule
            return t
        }
        rig.events.commandsFinished([transition(.queued), transition(.sending)])
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, [], "progress is no alert")
        rig.events.commandsFinished([transition(.failed)])
        rig.events.commandsFinished([transition(.failed), transition(.timedOut)])
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["command-failed/firing"])
        let alert = try XCTUnwrap(rig.sink.requests.first)
        XCTAssertEqual(alert.vin, "VIN1")
        XCTAssertEqual(alert.vehicle, "Zoé")
        XCTAssertEqual(alert.bundle, "ev")
        XCTAssertEqual(alert.rule, "low-battery")
        XCTAssertTrue(alert.text.contains("failed for good (HTTP 400)"), alert.text)

        rig.events.commandsFinished([transition(.failed, vin: "VIN2")])   // another vehicle: its own incident
        rig.events.commandsFinished([transition(.succeeded)])
        rig.events.commandsFinished([transition(.alreadyDone)])
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["command-failed/firing", "command-failed/firing", "command-failed/resolved"])
        XCTAssertEqual(rig.sink.requests.map(\.vin), ["VIN1", "VIN2", "VIN1"])
    }

    /// Two instances on one store (PostgreSQL, docs/cluster.md): a command that failed
    /// through one and succeeded through the other resolves the incident, once; an
    /// incident open is not alerted again by the other, nor after a restart of either.
    func testInstancesSharingAStoreSeeEachOthersIncidents() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let a = Rig(store: store, clock: clock), b = Rig(store: store, clock: clock)
        await a.monitor.pass()
        await b.monitor.pass()   // both have read the (empty) incidents
        func finished(_ status: ActionStatus) -> DispatchTransition {
            var t = DispatchTransition(actionId: 1, vin: "VIN1", status: status, failureCause: nil, retryAt: nil,
                                       completed: nil)
            t.bundle = "ev"
            t.rule = "low-battery"
            return t
        }
        a.events.commandsFinished([finished(.failed)])
        await a.monitor.pass()
        XCTAssertEqual(a.sink.summary, ["command-failed/firing"])

        b.events.commandsFinished([finished(.succeeded)])
        await b.monitor.pass()
        XCTAssertEqual(b.sink.summary, ["command-failed/resolved"], "opened through one, resolved through the other")
        a.events.commandsFinished([finished(.succeeded)])
        await a.monitor.pass()
        XCTAssertEqual(a.sink.summary, ["command-failed/firing"], "resolved once")
        XCTAssertEqual(try store.openAlertIncidents(), [])

        b.events.commandsFinished([finished(.timedOut)])
        await b.monitor.pass()
        a.events.commandsFinished([finished(.failed)])
        await a.monitor.pass()
        XCTAssertEqual(b.sink.summary, ["command-failed/resolved", "command-failed/firing"], "a new incident alerts")
        XCTAssertEqual(a.sink.summary, ["command-failed/firing"], "open: not alerted again by the other instance")

        let restarted = Rig(store: store, clock: clock)
        restarted.events.commandsFinished([finished(.failed)])
        try await restarted.center.flush()
        await restarted.monitor.pass()
        XCTAssertEqual(restarted.sink.summary, [], "still open after a restart: not alerted again")
    }

    func testLoopStopAlertsUntilResumed() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let rig = Rig(store: store, clock: clock)
        try store.addHold(ControlHoldRecord(kind: .loop, vin: "VIN1", bundle: "ev", rule: "heat",
                                            reason: "fired more than 5 times within 10 min", createdAt: t0))
        try store.addHold(ControlHoldRecord(kind: .pause, vin: "VIN1", createdAt: t0))   // a pause is no alert
        await rig.monitor.pass()
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["loop-stopped/firing"])
        XCTAssertTrue(rig.sink.requests[0].text.contains("`vigie resume --vin VIN1 --rule ev/heat`"))

        let restarted = Rig(store: store, clock: clock)
        await restarted.monitor.pass()
        XCTAssertEqual(restarted.sink.summary, [], "still open after a restart: not alerted again")

        _ = try store.resumeHolds(matching: ControlSelector(vin: "VIN1"), kinds: [.loop], at: t0.addingTimeInterval(5))
        await restarted.monitor.pass()
        await restarted.monitor.pass()
        XCTAssertEqual(restarted.sink.summary, ["loop-stopped/resolved"])
        XCTAssertEqual(restarted.sink.requests[0].text, "ev/heat resumed on VIN1.")
    }

    func testFlappingAlertsWhileHeld() async throws {
        let store = try OutcomeDatabase.inMemory()
        let rig = Rig(store: store, clock: ManualClock(t0))
        try store.recordControlEvent(ControlEventRecord(at: t0, kind: .flapStarted, vin: "VIN1", bundle: "ev", rule: "r",
                                                        detail: "7 rises within 10 min (limit 6): firings held back"))
        await rig.monitor.pass()
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["flapping/firing"])
        try store.recordControlEvent(ControlEventRecord(at: t0, kind: .flapEnded, vin: "VIN1", bundle: "ev", rule: "r"))
        await rig.monitor.pass()
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["flapping/firing", "flapping/resolved"])
    }

    func testBudgetSpentUntilTheBudgetDayEnds() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)   // 00:33 in Paris, the budgets' time zone
        let rig = Rig(store: store, clock: clock)
        try store.recordControlEvent(ControlEventRecord(at: t0, kind: .budgetStopped, vin: "VIN1",
                                                        detail: "daily commands budget of 10 spent"))
        try store.recordControlEvent(ControlEventRecord(at: t0, kind: .budgetStopped, vin: "VIN1",
                                                        detail: "daily wakeUps budget of 2 spent"))
        let boundary = await rig.monitor.pass()
        XCTAssertEqual(boundary, Date(timeIntervalSince1970: 1_796_684_400), "the next midnight in Paris")
        XCTAssertEqual(rig.sink.summary, ["budget-spent/firing"], "one incident per vehicle and day")
        XCTAssertTrue(rig.sink.requests[0].text.contains("daily commands budget of 10 spent"))

        clock.advance(by: 23 * 3600)   // 23:33 in Paris, the same budget day
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary.count, 1)
        clock.advance(by: 3600)        // 00:33 the next day
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["budget-spent/firing", "budget-spent/resolved"])
        guard rig.sink.requests.count == 2 else { return }
        XCTAssertEqual(rig.sink.requests[1].text, "VIN1: a new budget day began; commands are sent again.")

        // The monthly wake-up cap lasts the month.
        try store.recordControlEvent(ControlEventRecord(at: clock.now(), kind: .budgetStopped, vin: "VIN1",
                                                        detail: "monthly wake-up budget of 20 spent"))
        await rig.monitor.pass()
        clock.advance(by: 2 * 86_400)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary.suffix(1), ["budget-spent/firing"])
        XCTAssertEqual(try store.openAlertIncidents().map(\.key), ["budget-spent:VIN1:month"])
    }

    func testWebhookSecretBurstsAlertOnceAndResolveWhenQuiet() async throws {
        let clock = ManualClock(t0)
        let refused = Shared(3)
        let rig = Rig(store: try OutcomeDatabase.inMemory(), clock: clock, refused: refused)
        await rig.monitor.pass()   // the baseline
        for _ in 0..<10 {          // 1 a minute: 5 within 5 min, no burst
            clock.advance(by: 60)
            refused.update { $0 += 1 }
            await rig.monitor.pass()
        }
        XCTAssertEqual(rig.sink.summary, [])
        clock.advance(by: 30)
        refused.update { $0 += 8 }
        await rig.monitor.pass()
        clock.advance(by: 30)
        refused.update { $0 += 8 }
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["webhook-secret/firing"])
        XCTAssertTrue(rig.sink.requests[0].text.contains("webhook calls with a wrong secret within 5 min"))

        clock.advance(by: 899)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary.count, 1, "not quiet for 15 min yet")
        clock.advance(by: 1)
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["webhook-secret/firing", "webhook-secret/resolved"])
    }

    func testAFailingChannelIsReportedThroughTheOthers() async throws {
        let rig = Rig(store: try OutcomeDatabase.inMemory(), clock: ManualClock(t0))
        let delivery = NotificationDeliveryRecord(
            id: 1, deliveryId: "ntf_1", channel: "phone", request: NotificationRequest(channels: ["phone"], text: "x", at: t0),
            status: .failed, attempts: 1, notBefore: t0, createdAt: t0, updatedAt: t0)
        rig.events.delivered(channel: "phone")   // no incident: not even queued
        XCTAssertEqual(rig.events.drain(), [])
        rig.events.channelGaveUp(NotifierGiveUp(delivery: delivery, status: .failed, detail: "HTTP 401: bad token"))
        rig.events.channelGaveUp(NotifierGiveUp(delivery: delivery, status: .expired, detail: "max_age"))
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["channel-failing/firing"])
        XCTAssertEqual(rig.sink.requests[0].channels, ["ops"], "reported through the other channels")
        XCTAssertTrue(rig.sink.requests[0].text.contains("HTTP 401: bad token"))

        rig.events.delivered(channel: "ops")
        rig.events.delivered(channel: "phone")
        rig.events.delivered(channel: "phone")
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, ["channel-failing/firing", "channel-failing/resolved"])
        XCTAssertEqual(rig.sink.requests[1].channels, ["ops"])
    }

    func testAnAlertNotHandedOverIsSentAfterRestartOnce() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let rig = Rig(store: store, clock: clock)
        rig.sink.setFailing(true)
        rig.events.commandsFinished([DispatchTransition(actionId: 1, vin: "VIN1", status: .failed, failureCause: nil,
                                                        retryAt: nil, completed: nil)])
        await rig.monitor.pass()
        XCTAssertEqual(rig.sink.summary, [])
        XCTAssertEqual(try store.unsentAlertIncidents().count, 1)

        let restarted = Rig(store: store, clock: clock)
        try await restarted.center.flush()
        try await restarted.center.flush()
        XCTAssertEqual(restarted.sink.summary, ["command-failed/firing"])
        XCTAssertEqual(restarted.sink.requests[0].dedupKey, "alert:1:firing")
        XCTAssertEqual(try store.unsentAlertIncidents(), [])
    }

    func testTheStoreSinkEnqueuesOneDeliveryPerChannelOnce() async throws {
        let store = try OutcomeDatabase.inMemory()
        let center = AlertCenter(store: store, sink: StoreAlertSink(store: store, wake: nil), channels: ["ops", "phone"],
                                 clock: ManualClock(t0), logger: .init(label: "test"))
        try await center.raise(.sessionExpired(reason: "session unavailable: x"))
        try await center.raise(.sessionExpired(reason: "session unavailable: y"))
        try await store.markAlertSent(id: 1, state: .firing)
        let deliveries = try await store.notificationDeliveries(status: nil, limit: 10)
        XCTAssertEqual(deliveries.map(\.channel).sorted(), ["ops", "phone"])
        XCTAssertEqual(deliveries.map(\.request.alert), ["session-expired", "session-expired"])
        XCTAssertEqual(deliveries.map(\.request.alertState), ["firing", "firing"])
        // Handed over again (a crash before the mark): the dedup key keeps one delivery per channel.
        let open = try XCTUnwrap(try store.openAlertIncidents().first)
        let again = await center.request(open, .firing, id: 1, channels: ["ops", "phone"])
        try await StoreAlertSink(store: store, wake: nil).deliver(again)
        let after = try await store.notificationDeliveries(status: nil, limit: 10)
        XCTAssertEqual(after.count, 2)
    }
}
