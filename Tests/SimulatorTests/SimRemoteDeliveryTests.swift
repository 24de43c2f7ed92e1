import Foundation
import VehicleData
import XCTest
@testable import Simulator

/// Remotes (Pending → Done, one in flight, wake-ups, effects), notification retries and
/// batching, the B2B fleet API, and the quirks status shape.
final class SimRemoteDeliveryTests: XCTestCase {
    static let hook = JSONValue.parse(#"{"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/hook"}}}"#)

    func statuses(_ h: SimHarness) async -> [String] {
        await h.transport.messages.compactMap { m in
            guard let s = m["remoteEvent"]?["eventStatus"] else { return nil }
            return "\(s["type"]!.stringValue!):\(s["status"]!.stringValue!)" + (s["failureCause"]?.stringValue.map { "/\($0)" } ?? "")
        }
    }

    func testRemoteLifecycleOneInFlightAndEffect() async throws {
        let h = SimHarness(vehicles: 3)
        let i = await h.core.world.vehicles.firstIndex { $0.profile.hasBattery }!
        let id = await h.vehicleId(i)
        let cb = try await h.core.createCallback(h.user, body: Self.hook)["callbackId"]!.stringValue!
        await h.core.advance(to: h.clock.now())
        // Make sure the car is plugged, not charging and asleep.
        await h.core.testing { core in core.world.modify(i) { $0.plugged = true; $0.charging = false; $0.batteryLevel = 40; $0.awakeUntil = .distantPast } }
        let first = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"charging": {"immediate": true}}"#))
        XCTAssertEqual(first["type"]?.stringValue, "ElectricBatteryChargingRequest")
        Schemas.assertSchema(first, Schemas.b2c, "RemotePostResponse")
        _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"horn": {"state": "Activated"}}"#))
        await h.advance(60)
        let s = await statuses(h)
        XCTAssertEqual(s, ["Pending:Accepted", "Pending:Accepted", "Done:Failed/SameActionInProgress", "Pending:WakingUpVehicle",
                           "Pending:SentToVehicle", "Done:Success"])
        let charging = await h.core.world.vehicles[i].state.charging
        XCTAssertTrue(charging, "the effect is applied: charging started")
        for m in await h.transport.messages { Schemas.assertSchema(m, Schemas.b2cWebhook, "Message") }
        let wakeUps = await h.core.world.vehicles[i].state.wakeUps
        XCTAssertEqual(wakeUps, 1)
        _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"charging": {"immediate": true}}"#))
        await h.advance(60)
        let value1 = await statuses(h).last
        XCTAssertEqual(value1, "Done:AlreadyDone")
    }

    func testWakeUpBudgetAndBadRemotes() async throws {
        let h = SimHarness(vehicles: 1) { $0.wakeUpsPerMonth = 1 }
        let id = await h.vehicleId(0)
        let cb = try await h.core.createCallback(h.user, body: Self.hook)["callbackId"]!.stringValue!
        for _ in 0..<2 {
            await h.core.testing { core in core.world.modify(0) { $0.awakeUntil = .distantPast } }
            _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"wakeUp": {"action": "WakeUp"}}"#))
            await h.advance(30)
        }
        let value2 = await statuses(h).suffix(2)
        XCTAssertEqual(value2, ["Pending:TooManyWakeUpsOverMonth", "Done:Failed/TooManyWakeUpsOverMonth"])
        do {
            _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb,
                                            body: .parse(#"{"horn": {"state": "Activated"}, "lights": {"on": true}}"#))
            XCTFail("two actions in one remote")
        } catch let e as SimAPIError { XCTAssertEqual(e.status, 400) }
    }

    func testFailedDeliveriesAreRetriedEveryTenSecondsAndExpire() async throws {
        let h = SimHarness(vehicles: 1)
        await h.transport.setAnswer { n in n <= 3 ? 500 : 200 }
        let id = await h.vehicleId(0)
        let cb = try await h.core.createCallback(h.user, body: Self.hook)["callbackId"]!.stringValue!
        _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"horn": {"state": "Activated"}}"#))
        await h.advance(1)
        let value3 = await h.transport.posts.count
        XCTAssertEqual(value3, 1)
        await h.advance(9)
        let value4 = await h.transport.posts.count
        XCTAssertEqual(value4, 1, "no retry before 10 s")
        await h.advance(1)
        let value5 = await h.transport.posts.count
        XCTAssertEqual(value5, 2)
        await h.advance(120)
        let posts = await h.transport.posts
        let first = posts.filter { $0.json["remoteEvent"]?["eventStatus"]?["status"]?.stringValue == "Accepted" }
        XCTAssertEqual(first.count, 4, "the Accepted message was posted until answered 2xx")
        let value6 = await h.core.pendingNotifications
        XCTAssertEqual(value6, 0)

        // A receiver that never answers 2xx: messages are given up after 72 h.
        await h.transport.setAnswer { _ in nil }
        _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"horn": {"state": "Activated"}}"#))
        await h.advance(73 * 3600, step: 600)
        let value7 = await h.core.pendingNotifications
        XCTAssertEqual(value7, 0)
        let value8 = await h.core.outboxStats.expired
        XCTAssertGreaterThan(value8, 0)
    }

    func testBatchingPostsArraysOfMessages() async throws {
        let h = SimHarness(vehicles: 1)
        let id = await h.vehicleId(0)
        let cb = try await h.core.createCallback(h.user, body: .parse(
            #"{"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/hook", "batch": {"enabled": true, "size": 100}}}}"#))["callbackId"]!.stringValue!
        _ = try await h.core.postRemote(h.user, vehicle: id, callback: cb, body: .parse(#"{"horn": {"state": "Activated"}}"#))
        await h.advance(60)
        let posts = await h.transport.posts
        XCTAssertFalse(posts.isEmpty)
        XCTAssertTrue(posts.allSatisfy { $0.json.arrayValue != nil }, "a JSON array of Messages when batching")
    }

    func testFleetMonitorsCallbacksAndRemotes() async throws {
        let h = SimHarness(vehicles: 3)
        let b2b = Schemas.b2b
        let monitor = JSONValue.parse("""
        {"label": "fleet", "subscribeParam": {"callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/fleet"}},
          "batchNotify": {"size": 10, "timeWindow": 5}, "retryPolicy": {"policy": "Bounded", "retryNumber": 2, "retryDelay": 5}},
         "triggerParam": {"triggers": [{"name": "t", "data": {"data": "environment.air.temp", "op": "greaterThan", "value": ["-100"]}}], "boolExp": "t"}}
        """)
        let ref = try await h.core.createFleetMonitor(h.fleet, fleet: "fleet-1", body: monitor)
        Schemas.assertSchema(ref, b2b, "MonitorRef")
        let mid = ref["monitorId"]!.stringValue!
        Schemas.assertSchema(try await h.core.getFleetMonitor(h.fleet, fleet: "fleet-1", monitor: mid), b2b, "Monitor")
        Schemas.assertSchema(try await h.core.listFleetMonitors(h.fleet, fleet: "fleet-1"), b2b, "Monitors")
        let cbRef = try await h.core.createFleetCallback(h.fleet, fleet: "fleet-1", body: .parse(
            #"{"remoteTypes": ["Horn"], "callback": {"webhook": {"name": "w", "target": "http://127.0.0.1:9/remote"}}}"#))
        Schemas.assertSchema(cbRef, b2b, "CallbackRef")
        let cbid = cbRef["callbackId"]!.stringValue!
        Schemas.assertSchema(try await h.core.getFleetCallback(h.fleet, fleet: "fleet-1", id: cbid), b2b, "RemoteCallback")
        let vid = await h.vehicleId(2)
        let remote = try await h.core.postRemote(h.fleet, vehicle: vid, callback: cbid, body: .parse(#"{"horn": {"state": "Activated"}}"#),
                                                 fleet: "fleet-1")
        Schemas.assertSchema(remote, b2b, "RemotePostResponse")
        await h.advance(60)
        Schemas.assertSchema(try await h.core.listRemotes(h.fleet, vehicle: vid, callback: cbid, fleet: "fleet-1"), b2b, "RemoteActions")
        let posts = await h.transport.posts
        let monitorPosts = posts.filter { $0.url.path == "/fleet" }
        XCTAssertEqual(monitorPosts.count, 1, "one batch for the three vehicles")
        XCTAssertEqual(monitorPosts.first?.json["events"]?.arrayValue?.count, 3)
        for p in monitorPosts { Schemas.assertSchema(p.json, Schemas.b2bWebhook, "MonitorEvents") }
        for p in posts where p.url.path == "/remote" { Schemas.assertSchema(p.json, Schemas.b2bWebhook, "RemoteEvents") }
        do {
            _ = try await h.core.listFleetMonitors(h.user, fleet: "fleet-1")
            XCTFail("a B2C user has no fleet")
        } catch let e as SimAPIError { XCTAssertEqual(e.status, 403) }
    }

    func testQuirksServeTheRealWorldShape() async throws {
        let plain = SimHarness(vehicles: 2)
        let quirky = SimHarness(vehicles: 2) { $0.quirks = true }
        let i = await plain.core.world.vehicles.firstIndex { $0.profile.hasBattery }!
        let id = await plain.vehicleId(i)
        let schemaShaped = try await plain.core.status(plain.user, id: id)
        Schemas.assertSchema(schemaShaped, Schemas.b2c, "Status")
        XCTAssertNotNil(schemaShaped["energies"]?["extension"] ?? schemaShaped["energies"]?.arrayValue?.last?["extension"])
        let real = try await quirky.core.status(quirky.user, id: id)
        XCTAssertNil(real["energies"])
        XCTAssertNotNil(real["energy"]?.arrayValue?.last?["charging"], "charging inside the electric entry")
        XCTAssertNotNil(real["preconditionning"])
        XCTAssertEqual(real["lastPosition"]?["geometry"]?["coordinates"]?.arrayValue?.count, 3, "altitude")
        XCTAssertEqual(real["updatedAt"], .null)
    }
}

extension SimCore {
    /// Runs `body` on the actor (tests poke the world directly).
    func testing(_ body: @Sendable (isolated SimCore) -> Void) { body(self) }
}
