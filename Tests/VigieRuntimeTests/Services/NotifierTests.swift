import Foundation
import VehicleData
import Notifications
import OutcomeStore
import RuleEngine
import ServiceLifecycle
import Synchronization
import XCTest
@testable import VigieRuntime

/// The notifier service alone, on an in-memory store and a manual clock, with fake
/// channels: delivery under the stable id, back-off with jitter, Retry-After, `max_age`
/// expiry, a refusal failing at once, rate limits that queue, a claim left by a crash
/// taken again once its lease ends, and notifications going on during a pause.
final class NotifierTests: XCTestCase {
    /// A channel whose answers a test scripts; it records every message it was given.
    final class ScriptedChannel: NotificationChannel, Sendable {
        let name: String
        private let state = Mutex<(answers: [DeliveryResult], sent: [NotificationMessage])>(([], []))
        private let otherwise: DeliveryResult

        init(_ name: String, answers: [DeliveryResult] = [], otherwise: DeliveryResult = .delivered(summary: "HTTP 200")) {
            self.name = name
            self.otherwise = otherwise
            state.withLock { $0.answers = answers }
        }

        var sent: [NotificationMessage] { state.withLock { $0.sent } }

        func deliver(_ message: NotificationMessage) async -> DeliveryResult {
            state.withLock { s in
                s.sent.append(message)
                return s.answers.isEmpty ? otherwise : s.answers.removeFirst()
            }
        }
    }

    let t0 = ServiceFixture.start

    private func settings(_ channels: [ChannelConfiguration]) -> NotifierSettings {
        var s = NotifierSettings(channels: channels, defaults: [channels[0].name])
        s.random = { 0 }   // the jitter's lower end: retry n waits exactly base · 2^n / 2
        s.sweep = 0.05
        return s
    }

    private func channel(_ name: String, maxAge: Double = 86_400,
                         rateLimit: ChannelConfiguration.RateLimit? = nil) -> ChannelConfiguration {
        ChannelConfiguration(name: name, settings: .webhook(.init(url: URL(string: "http://127.0.0.1:9/")!,
                                                                  secret: ChannelSecret("s"))),
                             maxAge: maxAge, rateLimit: rateLimit, timeout: 5)
    }

    /// Runs a notifier until `body` returns.
    private func running(_ settings: NotifierSettings, store: any RuntimeStore, clock: ManualClock,
                         channels: [any NotificationChannel], metrics: RuntimeMetrics = RuntimeMetrics(),
                         _ body: () async throws -> Void) async throws {
        let notifier = Notifier(settings: settings, store: store, clock: clock,
                                channels: Dictionary(uniqueKeysWithValues: channels.map { ($0.name, $0) }),
                                metrics: metrics, logger: ServiceFixture.logger)
        let group = ServiceGroup(configuration: .init(services: [notifier], logger: ServiceFixture.logger))
        let task = Task { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Polls `condition` until it holds (an asynchronous service reaching a state), or fails.
    private func eventually(_ what: String, timeout: Double = 10,
                            _ condition: () async throws -> Bool) async throws {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if try await condition() { return }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        XCTFail("timed out waiting until \(what)")
        throw CancellationError()
    }

    private func only(_ store: OutcomeDatabase) throws -> NotificationDeliveryRecord {
        let all = try store.notificationDeliveries(status: nil, limit: 10)
        XCTAssertEqual(all.count, 1)
        return try XCTUnwrap(all.first)
    }

    private func request(_ text: String = "battery low", channels: [String] = ["phone"]) -> NotificationRequest {
        NotificationRequest(channels: channels, text: text, title: "Car", priority: "high", at: t0, vin: "VIN1",
                            vehicle: "Zoé", bundle: "b", rule: "r")
    }

    // MARK: Delivery

    func testANotifyActionCommittedWithItsDecisionIsDeliveredUnderItsStableId() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone")
        var decision = Decision(at: Timestamp.millis(t0), vin: "VIN1", bundle: "b", rule: "r", event: .fired,
                                actions: [.notify("battery low")])
        decision.notifyDetails[0] = NotifyDetails(title: "Car", to: nil, priority: "high")
        var s = settings([channel("phone")])
        s.vehicleNames = ["VIN1": "Zoé"]
        let record = DecisionRecord(decision, inboxId: nil, notifications: s)
        XCTAssertEqual(record.notifications[0]?.channels, ["phone"], "no to:, no notify_to: the default channels")
        try await store.commit(DecisionCommit(scope: "t", decisions: [record]), now: t0)
        let queued = try only(store)
        XCTAssertEqual(queued.status, .queued)
        XCTAssertNotNil(queued.actionId)

        try await running(s, store: store, clock: clock, channels: [phone]) {
            try await eventually("delivered") { try only(store).status == .delivered }
        }
        let delivered = try only(store)
        XCTAssertEqual(phone.sent.map(\.id), [delivered.deliveryId])
        XCTAssertTrue(delivered.deliveryId.hasPrefix("ntf_"))
        XCTAssertEqual(phone.sent.first?.title, "Car")
        XCTAssertEqual(phone.sent.first?.priority, .high)
        XCTAssertEqual(phone.sent.first?.vehicle, "Zoé")
        XCTAssertEqual(delivered.attempts, 1)
        let attempts = try store.notificationAttempts(deliveryRowId: delivered.id)
        XCTAssertEqual(attempts.map(\.outcome), ["delivered"])
        XCTAssertEqual(attempts.first?.detail, "HTTP 200")
    }

    func testRoutingTakesToThenNotifyToThenTheDefault() throws {
        var s = settings([channel("phone"), channel("ops"), channel("mail")])
        s.bundleChannels = ["b": ["ops"]]
        var decision = Decision(at: 0, vin: "V", bundle: "b", rule: "r", event: .fired,
                                actions: [.notify("a"), .remote(.object([:])), .notify("b")])
        decision.notifyDetails[2] = NotifyDetails(to: ["mail", "phone"])
        let requests = s.requests(for: decision)
        XCTAssertEqual(requests[0]?.channels, ["ops"])
        XCTAssertNil(requests[1])
        XCTAssertEqual(requests[2]?.channels, ["mail", "phone"])
        decision.bundle = "other"
        XCTAssertEqual(s.requests(for: decision)[0]?.channels, ["phone"])
        decision.event = .suppressed
        XCTAssertTrue(s.requests(for: decision).isEmpty)
    }

    // MARK: Retries

    func testARetryableAnswerBacksOffThenDeliversUnderTheSameId() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone", answers: [.retryable(reason: "HTTP 503 busy", retryAfter: nil),
                                                       .retryable(reason: "timed out after 5 s", retryAfter: nil)])
        let s = settings([channel("phone")])
        try store.enqueueNotifications([request()], at: t0)
        try await running(s, store: store, clock: clock, channels: [phone]) {
            try await eventually("first retry scheduled") { try only(store).status == .retrying }
            // Retry 0: base 5 s · 2^0, jittered to its lower half end: 2.5 s.
            XCTAssertEqual(try only(store).notBefore, t0.addingTimeInterval(2.5))
            XCTAssertEqual(try only(store).lastHTTPStatus, 503)
            clock.advance(by: 2.4)
            try await Task.sleep(nanoseconds: 100_000_000)
            XCTAssertEqual(phone.sent.count, 1, "not before the back-off ends")
            clock.advance(by: 0.1)
            try await eventually("second attempt") { try only(store).attempts == 2 && only(store).status == .retrying }
            // Retry 1: 10 s halved, from the second attempt's instant.
            XCTAssertEqual(try only(store).notBefore, t0.addingTimeInterval(2.5 + 5))
            clock.advance(by: 5)
            try await eventually("delivered") { try only(store).status == .delivered }
        }
        let ids = Set(phone.sent.map(\.id))
        XCTAssertEqual(phone.sent.count, 3)
        XCTAssertEqual(ids, [try only(store).deliveryId], "one id on every attempt")
        XCTAssertEqual(try store.notificationAttempts(deliveryRowId: only(store).id).map(\.outcome),
                       ["retryable", "retryable", "delivered"])
    }

    func testRetryAfterIsHonoured() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone", answers: [.retryable(reason: "HTTP 429 slow down", retryAfter: 120)])
        try store.enqueueNotifications([request()], at: t0)
        try await running(settings([channel("phone")]), store: store, clock: clock, channels: [phone]) {
            try await eventually("retry scheduled") { try only(store).status == .retrying }
            XCTAssertEqual(try only(store).notBefore, t0.addingTimeInterval(120))
            XCTAssertEqual(try only(store).lastHTTPStatus, 429)
            clock.advance(by: 119)
            try await Task.sleep(nanoseconds: 100_000_000)
            XCTAssertEqual(phone.sent.count, 1)
            clock.advance(by: 1)
            try await eventually("delivered") { try only(store).status == .delivered }
        }
    }

    func testADeliveryStillFailingAfterMaxAgeExpiresAndIsReported() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone", otherwise: .retryable(reason: "HTTP 502 bad gateway", retryAfter: nil))
        var s = settings([channel("phone", maxAge: 10)])
        let gaveUp = Mutex<[NotifierGiveUp]>([])
        s.onGiveUp = { g in gaveUp.withLock { $0.append(g) } }
        try store.enqueueNotifications([request()], at: t0)
        try await running(s, store: store, clock: clock, channels: [phone]) {
            // Attempts at 0, 2.5, 7.5; the next would be at 17.5, past max_age (10 s).
            try await eventually("retry 1") { try only(store).attempts == 1 && only(store).status == .retrying }
            clock.advance(by: 2.5)
            try await eventually("retry 2") { try only(store).attempts == 2 && only(store).status == .retrying }
            clock.advance(by: 5)
            try await eventually("expired") { try only(store).status == .expired }
            try await eventually("reported") { gaveUp.withLock { $0.count } == 1 }
        }
        XCTAssertEqual(phone.sent.count, 3)
        XCTAssertEqual(gaveUp.withLock { $0.first?.status }, .expired)
        XCTAssertNotNil(try only(store).finishedAt)
        XCTAssertEqual(try store.notificationAttempts(deliveryRowId: only(store).id).map(\.outcome),
                       ["retryable", "retryable", "expired"])
    }

    func testARefusalFailsAtOnceAndIsReported() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone", answers: [.failed(reason: "HTTP 401 unauthorized")])
        var s = settings([channel("phone")])
        let gaveUp = Mutex<[NotifierGiveUp]>([])
        s.onGiveUp = { g in gaveUp.withLock { $0.append(g) } }
        try store.enqueueNotifications([request()], at: t0)
        let metrics = RuntimeMetrics()
        try await running(s, store: store, clock: clock, channels: [phone], metrics: metrics) {
            try await eventually("failed") { try only(store).status == .failed }
            try await eventually("reported") { gaveUp.withLock { $0.count } == 1 }
            clock.advance(by: 3_600)
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertEqual(phone.sent.count, 1, "never retried")
        XCTAssertEqual(try only(store).lastHTTPStatus, 401)
        XCTAssertEqual(gaveUp.withLock { $0.first?.detail }, "HTTP 401 unauthorized")
        XCTAssertEqual(metrics.value(RuntimeMetrics.notificationDeliveries, ["channel": "phone", "outcome": "failed"]), 1)
    }

    func testAChannelNoLongerConfiguredFailsItsDeliveries() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        try store.enqueueNotifications([request(channels: ["gone"])], at: t0)
        try await running(settings([channel("phone")]), store: store, clock: clock, channels: [ScriptedChannel("phone")]) {
            try await eventually("failed") { try only(store).status == .failed }
        }
        XCTAssertEqual(try only(store).lastDetail, "channel gone is not configured")
    }

    // MARK: Rate limit, crash, pause

    func testARateLimitQueuesDeliveriesAndDropsNone() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        let phone = ScriptedChannel("phone")
        let s = settings([channel("phone", rateLimit: .init(count: 2, per: 60))])
        try store.enqueueNotifications((1...5).map { request("n\($0)") }, at: t0)
        func delivered() throws -> Int {
            try store.notificationDeliveries(status: .delivered, limit: 10).count
        }
        try await running(s, store: store, clock: clock, channels: [phone]) {
            try await eventually("two delivered") { try delivered() == 2 }
            try await Task.sleep(nanoseconds: 100_000_000)
            XCTAssertEqual(try delivered(), 2, "the window is full")
            XCTAssertEqual(try store.notificationDeliveries(status: .queued, limit: 10).count, 3, "kept queued")
            clock.advance(by: 60)
            try await eventually("four delivered") { try delivered() == 4 }
            clock.advance(by: 60)
            try await eventually("five delivered") { try delivered() == 5 }
        }
        XCTAssertEqual(phone.sent.map(\.text), ["n1", "n2", "n3", "n4", "n5"], "in order, none dropped")
    }

    func testADeliveryLeftSendingByACrashIsSentAgainOnceItsLeaseEnds() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        try store.enqueueNotifications([request()], at: t0)
        // A process claimed it and died before recording anything.
        let claimed = try store.claimNotificationDeliveries(channel: "phone", at: t0, limit: 10,
                                                            leaseUntil: t0.addingTimeInterval(15))
        XCTAssertEqual(claimed.count, 1)
        let phone = ScriptedChannel("phone")
        try await running(settings([channel("phone")]), store: store, clock: clock, channels: [phone]) {
            try await Task.sleep(nanoseconds: 100_000_000)
            XCTAssertTrue(phone.sent.isEmpty, "not while the lease holds")
            clock.advance(by: 15)
            try await eventually("delivered") { try only(store).status == .delivered }
        }
        XCTAssertEqual(phone.sent.map(\.id), [claimed[0].deliveryId])
        let attempts = try store.notificationAttempts(deliveryRowId: claimed[0].id)
        XCTAssertEqual(attempts.map(\.outcome), [nil, "delivered"], "the crashed attempt stays unfinished")
        XCTAssertFalse(try store.recordNotificationAttempt(deliveryRowId: claimed[0].id, attempt: 1,
                                                          outcome: .failed(detail: "late", httpStatus: nil), at: t0),
                       "the dead claim cannot overwrite the outcome")
    }

    func testPauseHoldsCommandsNotNotifications() async throws {
        let store = try OutcomeDatabase.inMemory()
        let clock = ManualClock(t0)
        try store.addHold(ControlHoldRecord(kind: .pause, createdAt: t0), detail: "vigie pause")
        XCTAssertFalse(try store.activeHolds().isEmpty)
        try store.enqueueNotifications([request()], at: t0)
        let phone = ScriptedChannel("phone")
        try await running(settings([channel("phone")]), store: store, clock: clock, channels: [phone]) {
            try await eventually("delivered") { try only(store).status == .delivered }
        }
    }

    func testAnAlertIsEnqueuedOncePerDedupKeyAndChannel() async throws {
        let store = try OutcomeDatabase.inMemory()
        var alert = NotificationRequest(kind: .alert, channels: ["ops", "phone", "ops"], text: "run vigie login",
                                        at: t0, alert: "session-expired", alertState: "firing",
                                        dedupKey: "session-expired:1:firing")
        XCTAssertEqual(try store.enqueueNotifications([alert], at: t0).map(\.channel), ["ops", "phone"])
        XCTAssertTrue(try store.enqueueNotifications([alert], at: t0).isEmpty)
        alert.alertState = "resolved"
        alert.dedupKey = "session-expired:1:resolved"
        XCTAssertEqual(try store.enqueueNotifications([alert], at: t0).count, 2)
        let ops = ScriptedChannel("ops")
        try await running(settings([channel("ops"), channel("phone")]), store: store, clock: ManualClock(t0),
                          channels: [ops, ScriptedChannel("phone")]) {
            try await eventually("all delivered") {
                try store.notificationDeliveries(status: .delivered, limit: 10).count == 4
            }
        }
        // Both due at once and sent concurrently: in either order.
        XCTAssertEqual(ops.sent.map { "\($0.kind)" }.sorted(),
                       [NotificationMessage.Kind.alert(kind: "session-expired", state: .firing),
                        .alert(kind: "session-expired", state: .resolved)].map { "\($0)" }.sorted())
    }
}
