import Foundation
import OutcomeStore
import PostgresStore
import VehicleData
import XCTest

/// The console's queries on PostgreSQL (PostgresStore+Console.swift) answer what the
/// SQLite ones (OutcomeDatabase+Console.swift) answer, on the same steps committed to both.
final class PostgresConsoleTests: XCTestCase {
    static let t0 = Date(timeIntervalSince1970: 1_795_411_800)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func fired(_ seconds: Double, vin: String, rule: String) -> DecisionRecord {
        DecisionRecord(at: at(seconds), vin: vin, bundle: "b", rule: rule, event: .fired,
                       actions: [.remote(.object(["lights": .object(["on": .bool(true)])])), .notify("\(vin) \(rule)")])
    }

    /// The same history in any store: notifications, decisions (fired and suppressed),
    /// engine states, one command sent and answered, one queued.
    static func seed(_ store: any RuntimeStore) async throws {
        let batch = IntakeBatch(notifications: ["n1", "n2", "n3"].map {
            .init(dedupKey: $0, vin: "V1", type: "Status", eventDate: "2026-11-23T06:30:00Z", body: "{\"k\":\"\($0)\"}")
        })
        _ = try await store.appendIntake([batch], at: at(0))
        var withCause = fired(10, vin: "V1", rule: "r")
        withCause.inboxId = 1
        let suppressed = DecisionRecord(at: at(20), vin: "V1", bundle: "b", rule: "r", event: .suppressed,
                                        reason: "cooldown", actions: [])
        try await store.commit(DecisionCommit(
            scope: "serve", decisions: [withCause, suppressed, fired(30, vin: "V2", rule: "q")],
            vehicleStates: ["V1": Data("{\"a\":1}".utf8), "V2": Data("{\"b\":2}".utf8)],
            checkpoint: .init(position: 1, at: at(30)), processedInboxIds: [1]), now: at(40))
        try await store.commit(DecisionCommit(scope: "serve", vehicleStates: ["V3": Data("{}".utf8)]), now: at(50))
        let items = try await store.nextDispatchItems(at: at(60), limit: 10)
        let item = try XCTUnwrap(items.first { $0.vin == "V1" })
        _ = try await store.beginAttempt(outboxId: item.outboxId, at: at(61))
        _ = try await store.recordDispatchAccepted(actionId: item.actionId, remoteActionId: "RA-1", httpStatus: 202,
                                                  at: at(62), retry: { _, _ in nil })
    }

    func testConsoleQueriesAnswerAsOnSQLite() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let pg = try await cluster.makeStore()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-pg-console-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let lite = try OutcomeDatabase(path: folder.appendingPathComponent("c.sqlite").path)
            try await Self.seed(lite)
            try await Self.seed(pg)

            let count = try await pg.consoleVehicleCount(scope: "serve")
            XCTAssertEqual(count, try lite.consoleVehicleCount(scope: "serve"))
            XCTAssertEqual(count, 3)
            let pgPage = try await pg.consoleVehicles(scope: "serve", offset: 1, limit: 2)
            let litePage = try lite.consoleVehicles(scope: "serve", offset: 1, limit: 2)
            XCTAssertEqual(pgPage.map(\.vin), litePage.map(\.vin))
            XCTAssertEqual(pgPage.map(\.state), litePage.map(\.state))
            let one = try await pg.consoleVehicles(scope: "serve", vin: "V2", offset: 0, limit: 5)
            XCTAssertEqual(one.map(\.vin), ["V2"])
            let changed = try await pg.consoleVehiclesChanged(scope: "serve", since: Self.at(45), limit: 10)
            XCTAssertEqual(changed.vins, try lite.consoleVehiclesChanged(scope: "serve", since: Self.at(45), limit: 10).vins)
            XCTAssertEqual(changed.vins, ["V3"])
            XCTAssertEqual(changed.newest, Self.at(50))

            let pgHistory = try await pg.consoleRuleHistory(vins: ["V1", "V2"])
            let liteHistory = try lite.consoleRuleHistory(vins: ["V1", "V2"])
            XCTAssertEqual(Self.strip(pgHistory), Self.strip(liteHistory))
            XCTAssertEqual(pgHistory["V1"]?["b/r"]?.lastSuppressed?.reason, "cooldown")
            XCTAssertEqual(pgHistory["V1"]?["b/r"]?.lastFired?.inboxId, 1)

            let recent = try await pg.consoleRecentDecisions(limit: 2)
            XCTAssertEqual(recent.map(\.at), try lite.consoleRecentDecisions(limit: 2).map(\.at))
            let recentV1 = try await pg.consoleRecentDecisions(vin: "V1", limit: 5)
            XCTAssertEqual(recentV1.map(\.event), try lite.consoleRecentDecisions(vin: "V1", limit: 5).map(\.event))

            let pgOverview = try await pg.consoleOverview(scope: "serve", now: Self.at(100))
            XCTAssertEqual(pgOverview, try lite.consoleOverview(scope: "serve", now: Self.at(100)))
            XCTAssertEqual(pgOverview.inboxUnprocessed, 2)
            XCTAssertEqual(pgOverview.outboxInFlight, 1)
            XCTAssertEqual(pgOverview.outboxQueued, 1)

            let open = try await pg.consoleOpenCommands(limit: 10)
            XCTAssertEqual(open.map(\.vin), try lite.consoleOpenCommands(limit: 10).map(\.vin))
            XCTAssertEqual(open.map(\.vin).sorted(), ["V1", "V2"])

            let firstFired = try XCTUnwrap(pgHistory["V1"]?["b/r"]?.lastFired?.id)
            let liteFirst = try XCTUnwrap(liteHistory["V1"]?["b/r"]?.lastFired?.id)
            let pgTraceRead = try await pg.consoleTrace(firingId: firstFired)
            let pgTrace = try XCTUnwrap(pgTraceRead)
            let liteTrace = try XCTUnwrap(try lite.consoleTrace(firingId: liteFirst))
            XCTAssertEqual(pgTrace.cause?.dedupKey, "n1")
            XCTAssertEqual(pgTrace.cause?.dedupKey, liteTrace.cause?.dedupKey)
            XCTAssertEqual(pgTrace.renderedActions, liteTrace.renderedActions)
            XCTAssertEqual(pgTrace.actions.map(\.action.status), liteTrace.actions.map(\.action.status))
            XCTAssertEqual(pgTrace.actions.map { $0.attempts.map(\.remoteActionId) },
                           liteTrace.actions.map { $0.attempts.map(\.remoteActionId) })
            let missing = try await pg.consoleTrace(firingId: 999_999)
            XCTAssertNil(missing)
        }
    }

    /// With partitions, each partition's engine saves its vehicles under `serve/p<N>`: the
    /// console shows them, a partition's row before the one saved under `serve` before
    /// partitions ran, and still the `serve` rows of vehicles no partition saved yet.
    func testConsoleReadsThePartitionsStates() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let pg = try await cluster.makeStore()
            try await pg.commit(DecisionCommit(scope: "serve", vehicleStates: [
                "V1": Data("{\"old\":1}".utf8), "V2": Data("{\"b\":2}".utf8)]), now: Self.at(10))
            try await pg.preparePartitions()
            func scope(_ vin: String) -> String { "serve/p\(PartitionLease.partition(ofVIN: vin, count: pg.partitions))" }
            try await pg.commit(DecisionCommit(scope: scope("V1"), vehicleStates: ["V1": Data("{\"new\":1}".utf8)]),
                                now: Self.at(20))
            try await pg.commit(DecisionCommit(scope: scope("V3"), vehicleStates: ["V3": Data("{}".utf8)]), now: Self.at(30))

            let count = try await pg.consoleVehicleCount(scope: "serve")
            XCTAssertEqual(count, 3)
            let page = try await pg.consoleVehicles(scope: "serve", offset: 0, limit: 10)
            XCTAssertEqual(page.map(\.vin), ["V1", "V2", "V3"])
            XCTAssertEqual(page.map(\.updatedAt), [Self.at(20), Self.at(10), Self.at(30)])
            let second = try await pg.consoleVehicles(scope: "serve", offset: 1, limit: 1)
            XCTAssertEqual(second.map(\.vin), ["V2"])
            let one = try await pg.consoleVehicles(scope: "serve", vin: "V1", offset: 0, limit: 5)
            XCTAssertEqual(one.map(\.updatedAt), [Self.at(20)])
            let changed = try await pg.consoleVehiclesChanged(scope: "serve", since: Self.at(15), limit: 10)
            XCTAssertEqual(changed.vins, ["V3", "V1"])
            XCTAssertEqual(changed.newest, Self.at(30))
            let overview = try await pg.consoleOverview(scope: "serve", now: Self.at(40))
            XCTAssertEqual(overview.vehicles, 3)
        }
    }

    /// Rule histories without the row ids (each database numbers its own rows).
    static func strip(_ history: [String: [String: ConsoleRows.RuleHistory]]) -> [String: [String: [String]]] {
        history.mapValues { rules in
            rules.mapValues { h in
                [h.lastFired, h.lastSuppressed].map { d in d.map { "\($0.at.timeIntervalSince1970) \($0.event) \($0.reason ?? "-")" } ?? "-" }
            }
        }
    }
}
