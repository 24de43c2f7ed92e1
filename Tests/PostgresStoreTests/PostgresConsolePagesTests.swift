import Console
import Foundation
import Hummingbird
import HummingbirdTesting
import OutcomeStore
import PostgresStore
import RuleEngine
import RuleLanguage
import VehicleData
import XCTest

/// The web console served from the PostgreSQL store (`ConsoleStore`), as `vigie serve`
/// mounts it when `store: {postgres: …}`: every page read from a real PostgreSQL, and a
/// pause → resume written to it.
final class PostgresConsolePagesTests: XCTestCase {
    static let token = "pg-console-token"

    func testEveryPageReadsPostgreSQLAndAPauseIsWrittenThere() async throws {
        try await PostgresTestCluster.withCluster { cluster in
            let pg = try await cluster.makeStore()
            try await PostgresConsoleTests.seed(pg)
            // Engine states as the engine loop saves them, and a recorded deployment.
            let now = PostgresConsoleTests.at(100)
            let millis = Timestamp.millis(now)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let v1 = VehicleSnapshot(vin: "V1", fields: [FieldSnapshot(field: "battery.level", value: .number(17), at: millis - 60_000)],
                                     rules: [RuleStateSnapshot(bundle: "b", rule: "r", phase: .pending, pendingSince: millis - 30_000)])
            try await pg.commit(DecisionCommit(scope: "serve", vehicleStates: ["V1": try encoder.encode(v1)]), now: now)
            try await pg.replaceDeployment([DeployedMonitorRecord(vin: "V1", fleet: nil, monitorId: "mon-1", label: "vigie:b/r:1",
                                                                  rules: ["b/r"], deployedAt: now)], at: now)
            let rules = RuleValidator.validate([SourceFile(path: "rules.yaml", text: """
                vigie: 1
                bundle: b
                rules:
                  - id: r
                    when: battery.level < 20
                    for: 5m
                    then:
                      - horn: on
                  - id: q
                    when: battery.level > 90
                    then:
                      - horn: on
                """)]).bundles
            XCTAssertEqual(rules.count, 1)
            let console = try Console(source: ConsoleSource(database: pg, bundles: rules, now: { now }),
                                      settings: ConsoleSettings(token: Self.token))
            let router = Router()
            console.addRoutes(to: router)
            let recent = try await pg.consoleRecentDecisions(vin: "V1", limit: 5)
            let fired = try XCTUnwrap(recent.first { $0.event == "fired" })
            try await Application(router: router).test(.router) { client in
                func get(_ path: String) async throws -> String {
                    let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(Self.token)"])
                    XCTAssertEqual(response.status, .ok, path)
                    return String(buffer: response.body)
                }
                let overview = try await get("/console")
                XCTAssertTrue(overview.contains("V2"), "overview: the latest decisions")
                let vehicles = try await get("/console/vehicles")
                XCTAssertTrue(vehicles.contains("V1") && vehicles.contains("V3"), vehicles)
                let one = try await get("/console/vehicles/V1")
                XCTAssertTrue(one.contains("mon-1"), "its monitors: \(one)")
                XCTAssertTrue(one.contains("cooldown"), "its decisions: \(one)")
                let rulePage = try await get("/console/rules?vin=V1")
                XCTAssertTrue(rulePage.contains("pending"), rulePage)
                let trace = try await get("/console/decisions/\(fired.id)")
                XCTAssertTrue(trace.contains("RA-1"), "the command's remote action id: \(trace)")
                XCTAssertTrue(trace.contains("vigie explain --vin V1 --rule b/r"), "the explain command: \(trace)")
                let deployments = try await get("/console/deployments")
                XCTAssertTrue(deployments.contains("vigie:b/r:1"), deployments)
                let holds = try await get("/console/holds")
                XCTAssertTrue(holds.contains("V1"), "the open commands: \(holds)")

                let paused = try await client.execute(uri: "/console/holds/pause", method: .post,
                                                      headers: [.authorization: "Bearer \(Self.token)",
                                                                .contentType: "application/x-www-form-urlencoded"],
                                                      body: ByteBuffer(string: "bundle=b&rule=r&reason=pg"))
                XCTAssertEqual(paused.status, .ok)
                XCTAssertTrue(String(buffer: paused.body).contains("Paused: rule b/r."), String(buffer: paused.body))
                let held = try await pg.activeHolds()
                XCTAssertEqual(held.map(\.scopeDescription), ["rule b/r"])
                XCTAssertEqual(held.first?.reason, "pg")
                let resumed = try await client.execute(uri: "/console/holds/resume", method: .post,
                                                       headers: [.authorization: "Bearer \(Self.token)",
                                                                 .contentType: "application/x-www-form-urlencoded"],
                                                       body: ByteBuffer(string: "bundle=b&rule=r"))
                XCTAssertEqual(resumed.status, .ok)
                let stillHeld = try await pg.activeHolds()
                XCTAssertEqual(stillHeld, [])
            }
        }
    }
}
