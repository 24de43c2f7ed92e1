import Foundation
import Notifications
import OutcomeStore
import XCTest
@testable import VigieKit

/// `vigie demo`'s deliveries: its sink channel receives signed webhooks and counts each
/// delivery id once; the timeline prints a notify's delivery when it is final, and the
/// summary counts the delivered ones per rule.
final class DemoDeliveryTests: XCTestCase {
    let t0 = Date(timeIntervalSince1970: 1_796_600_000)

    func testTheSinkCountsEachDeliveryOnceByKind() async throws {
        let sink = DemoSink()
        let configuration = try await sink.start()
        XCTAssertEqual(configuration.name, "demo-sink")
        let channel = try NotificationSender.channel(for: configuration)
        let note = NotificationMessage(id: "ntf_1", at: t0, vin: "VIN1", bundle: "ev", rule: "low", text: "18 %")
        let alert = NotificationMessage(id: "ntf_2", kind: .alert(kind: "session-expired", state: .firing), at: t0,
                                        title: "Vigie: Stellantis session expired", text: "run `vigie login`")
        for message in [note, note, alert] {   // the first one twice: a retry after a crash
            let result = await channel.deliver(message)
            guard case .delivered = result else { return XCTFail("\(result)") }
        }
        await sink.stop()
        XCTAssertEqual(sink.counts, DemoSink.Received(ids: ["ntf_1", "ntf_2"], notifications: 1, alerts: 1))
    }

    func testTimelineAndSummaryShowDeliveries() {
        let firing = FiringRecord(id: 7, at: t0, vin: "VIN1", bundle: "ev", rule: "low", event: "fired", reason: nil,
                                  actions: #"[{"notify":"18 %"}]"#, inboxId: nil, recordedAt: t0)
        let action = ActionRecord(id: 9, firingId: 7, position: 0, kind: "notify", vin: "VIN1", payload: "18 %",
                                  status: .notified, createdAt: t0, updatedAt: t0)
        let decisions = [LoggedDecision(firing: firing, actionRecords: [action])]
        var delivery = NotificationDeliveryRecord(
            id: 1, deliveryId: "ntf_1", channel: "demo-sink",
            request: NotificationRequest(channels: ["demo-sink"], text: "18 %", at: t0, vin: "VIN1", bundle: "ev", rule: "low"),
            firingId: 7, actionId: 9, status: .retrying, attempts: 1, notBefore: t0, createdAt: t0, updatedAt: t0)
        var timeline = DemoTimeline(timeZone: TimeZone(identifier: "Europe/Paris")!)
        let first = timeline.lines(for: decisions, deliveries: [delivery])
        XCTAssertEqual(first.count, 1, "the notify, not its delivery still retrying: \(first)")
        XCTAssertTrue(first[0].hasSuffix("notify                \"18 %\""), first[0])
        delivery.status = .delivered
        delivery.finishedAt = t0.addingTimeInterval(60)
        let second = timeline.lines(for: decisions, deliveries: [delivery])
        XCTAssertEqual(second.count, 1)
        XCTAssertTrue(second[0].hasPrefix("Mon 00:34     VIN1"), second[0])
        XCTAssertTrue(second[0].hasSuffix("notify → demo-sink    delivered"), second[0])
        XCTAssertEqual(timeline.lines(for: decisions, deliveries: [delivery]), [], "printed once")

        let summary = DemoSummary(decisions, deliveries: [delivery])
        XCTAssertEqual(summary.rows.map(\.delivered), [1])
        XCTAssertEqual(summary.rows.map(\.notifies), [1])
        XCTAssertTrue(summary.text.contains("notifies  delivered"), summary.text)
    }
}
