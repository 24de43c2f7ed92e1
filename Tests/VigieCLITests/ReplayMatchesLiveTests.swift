import AsyncHTTPClient
import Foundation
import NIOCore
import Logging
import OutcomeStore
import RuleEngine
import RuleLanguage
import StellantisAPI
import StellantisModels
import VehicleData
import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// Issue 14, part 2: a replay `message` line is read exactly as the live runtime reads a
/// notification (`MonitorEventReader`). A live `ServeRuntime` consumes B2C messages and B2B
/// fleet bodies whose rules depend on their `extensions` (`vehicle.status`'s charging,
/// `vehicle.position`) as much as on their `values`; then `vigie dry-run` replays the
/// notifications the runtime stored — each as one `message` line, nothing else — and must
/// print the same decisions.
final class ReplayMatchesLiveTests: XCTestCase {
    static let rules = """
        vigie: 1
        bundle: replay-live
        timezone: Europe/Paris
        vehicles: all
        zones:
          depot: {center: {lat: 48.85, lon: 2.35}, radius: 1 km}
        rules:
          - id: low-and-plugged
            when: battery.level < 20 % and charging.plugged
            then:
              - notify: "{{vin}} low at {{battery.level}} %, plugged"
          - id: charging-changed
            when: changed(charging.status)
            then:
              - notify: "{{vin}} charging {{charging.status}}"
          - id: back-at-depot
            when: entered(depot)
            then:
              - notify: "{{vin}} at the depot ({{position}})"
        """

    private struct NoAPI: VehicleAPI {
        func postRemote(vin: String, body: Remote) async throws -> String { throw CancellationError() }
        func remotes(vin: String) async throws -> [RemoteAction] { [] }
        func status(vin: String) async throws -> VehicleStatus { throw CancellationError() }
        var rateLimitStatus: RateLimitStatus { RateLimitStatus() }
    }

    private static let vins = ["VR3UHZKXZLT200001", "VR3UHZKXZLT200002", "VR3UHZKXZLT200003"]

    func testReplayingTheConsumedNotificationsGivesTheLiveDecisions() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-replay-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let rulesFile = folder.appendingPathComponent("rules.yaml")
        try Self.rules.write(to: rulesFile, atomically: true, encoding: .utf8)
        let validated = RuleValidator.validate([SourceFile(path: "rules.yaml", text: Self.rules)])
        XCTAssertFalse(validated.hasErrors, "\(validated.diagnostics)")

        let start = Date(timeIntervalSince1970: 1_795_411_800)   // 2026-11-23T05:30:00Z
        let clock = ManualClock(start)
        let secret = "replay-live-secret-0123456789"
        var logger = Logger(label: "replay-live")
        logger.logLevel = .error
        let database = try OutcomeDatabase(path: folder.appendingPathComponent("live.sqlite").path)
        let runtime = ServeRuntime(settings: RuntimeSettings(port: 0, webhookSecret: secret),
                                   database: database, bundles: validated.bundles, clock: clock, logger: logger) { NoAPI() }
        try await runtime.start()
        let port = try XCTUnwrap(runtime.boundPort)
        let templates = try FleetTemplateMessages()

        // Twelve minutes of a small fleet, one notification per car per minute, B2C and
        // B2B alternately; charging, plugging and position come only from extensions.
        var posted = 0
        for minute in 0..<12 {
            clock.advance(by: 60)
            let date = RFC3339.formatUTC(Timestamp.millis(clock.now()))
            var fleetEvents: [FleetTemplateMessages.MonitorEvent] = []
            for (index, vin) in Self.vins.enumerated() {
                let level = 30 - 2 * minute + 3 * index
                let plugged = (minute + index) % 4 != 0
                let charging = ["Disconnected", "InProgress", "Stopped"][(minute / 2 + index) % 3]
                let atDepot = (minute + index) % 5 < 2
                let status: JSONValue = .object(["energies": .array([.object([
                    "type": .string("Electric"), "level": .number(80),
                    "extension": .object(["electric": .object(["charging": .object([
                        "plugged": .bool(plugged), "status": .string(charging)])])]),
                ])])])
                let position: JSONValue = .object(["type": .string("Feature"), "properties": .object([:]), "geometry": .object([
                    "type": .string("Point"),
                    "coordinates": .array([.number(atDepot ? 2.351 : 2.40), .number(atDepot ? 48.851 : 48.90)]),
                ])])
                if (minute + index) % 2 == 0 {
                    // B2C: extension bodies are lists of items.
                    let message: JSONValue = .object([
                        "callbackId": .string("cb-1"), "type": .string("Monitor"), "date": .string(date),
                        "attributes": .array([.object(["key": .string("vin"), "value": .string(vin)])]),
                        "monitorEvent": .object([
                            "monitorId": .string("mon-1"), "refresh": .bool(false),
                            "values": .array([Self.value("vehicle.energy.electric.level", "\(level)")]),
                            "extensions": .array([
                                .object(["type": .string("vehicle.status"), "body": .array([.object(["status": status])])]),
                                .object(["type": .string("vehicle.position"), "body": .array([.object(["position": position])])]),
                                .object(["type": .string("vehicle.alerts"), "body": .array([.object(["alerts": .array([])])])]),
                            ]),
                        ]),
                    ])
                    try await post(message, port: port, secret: secret)
                    posted += 1
                } else {
                    fleetEvents.append(.init(vin: vin, eventDate: date, values: [("vehicle.energy.electric.level", "\(level)")],
                                             status: status, position: position))
                }
            }
            if !fleetEvents.isEmpty {
                try await post(try templates.monitorEvents(monitorId: "fmon-1", fleetEvents), port: port, secret: secret)
                posted += fleetEvents.count
            }
            let deadline = Date().addingTimeInterval(15)
            while try database.unprocessedInbox(limit: 1).count > 0, Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        await runtime.shutdown()

        let inbox = try database.inbox()
        XCTAssertEqual(inbox.count, posted)
        XCTAssertTrue(inbox.allSatisfy(\.processed))
        XCTAssertEqual(try database.deadLetters().count, 0)
        let live = try database.loggedDecisions().map { Self.key($0.decision.jsonValue) }
        XCTAssertEqual(Set(live.compactMap { $0["rule"]?.stringValue }), ["low-and-plugged", "charging-changed", "back-at-depot"],
                       "every rule fired live, each through data only extensions carry")

        // The replay: each stored notification as one `message` line at its date.
        let lines = inbox.sorted { ($0.eventDate ?? "", $0.id ?? 0) < ($1.eventDate ?? "", $1.id ?? 0) }.map { row in
            StoreJSON.string(.object(["at": .string(row.eventDate ?? ""), "vin": .string(row.vin ?? ""),
                                      "message": StoreJSON.parse(row.body) ?? .null]))
        }
        let events = folder.appendingPathComponent("consumed.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: events, atomically: true, encoding: .utf8)
        let result = try CommandRunner.vigie(["dry-run", rulesFile.path, "--events", events.path, "--format", "json"])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        let replayed = try result.stdout.split(separator: "\n").map { Self.key(try JSONValue.parsing(json: String($0))) }
        XCTAssertEqual(replayed.count, live.count)
        XCTAssertEqual(replayed, live)
    }

    private static func value(_ data: String, _ literal: String) -> JSONValue {
        .object(["data": .string(data), "value": .object(["type": .string("string"), "body": .object(["literalValue": .string(literal)])])])
    }

    /// What both sides must agree on: when, which car, which rule, what was decided and why,
    /// and the texts sent.
    private static func key(_ decision: JSONValue) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for name in ["at", "vin", "bundle", "rule", "event", "reason", "actions"] { out[name] = decision[name] ?? .null }
        return .object(out)
    }

    private func post(_ body: JSONValue, port: Int, secret: String) async throws {
        let (status, text) = try await EndToEnd.post(StoreJSON.data(body), port: port, secret: secret)
        XCTAssertEqual(status, 200, text)
        XCTAssertTrue(text.contains("\"deadLetters\":0"), text)
    }
}
