import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import OutcomeStore
import RuleEngine
import RuleLanguage
import Simulator
import VehicleData
import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// The end-to-end scenario (`EndToEndScenario`: three simulated cars, a bundle that
/// charges a low car and notes departures, from Monday 06:30 (Paris) through the morning
/// commute) on a `DemoStack`, and the steps the tests take through it.
enum EndToEnd {
    static let bundle = EndToEndScenario.bundle
    static let start = EndToEndScenario.start

    static func bundles() throws -> [CheckedBundle] {
        let result = RuleValidator.validate([SourceFile(path: "e2e.yaml", text: bundle)])
        XCTAssertEqual(result.diagnostics.filter { $0.severity == .error }.count, 0, "\(result.diagnostics)")
        return result.bundles
    }

    /// Starts the stack with the scenario's starting state: the second car at 15 %,
    /// plugged in, not charging.
    static func start(database: String, clock: ManualClock, logger: Logger? = nil) async throws -> DemoStack {
        var options = DemoStack.Options(databasePath: database)
        options.vehicles = 3
        // The test moves time in steps of 30 s; a generous stale limit keeps slow CI
        // machines from turning a late observation into a `stale` suppression.
        options.staleAfter = 6 * 3600
        options.remoteTimeout = 3600
        options.simulatorTick = .milliseconds(2)
        if let logger { options.logger = logger }
        return try await DemoStack.start(bundles: try bundles(), options: options, clock: clock) { core, cars in
            await core.adjustVehicle(cars[1].vin) { s in
                s.batteryLevel = 15; s.plugged = true; s.charging = false; s.chargeFinished = false; s.chargeFailed = false
            }
            return []
        }
    }

    /// Moves simulated time by `seconds`, one physics step (10 s) at a time, and after each
    /// step waits until the simulator has delivered what it had and the runtime has
    /// consumed it. The runtime's engine time only moves forward (it advances to its
    /// clock after each batch), so a notification consumed after the clock moved on is
    /// observed at the later instant: stepping this way keeps every observation at its
    /// own `date`, which is what a dry run of the same notifications does.
    static func run(_ clock: ManualClock, _ stack: DemoStack, seconds: TimeInterval, step: TimeInterval = 10) async throws {
        var done: TimeInterval = 0
        while done < seconds {
            clock.advance(by: step)
            done += step
            try await quiesce(stack, clock: clock, timeout: 5)
        }
    }

    /// Waits (real time) until the simulator caught up with the clock, has nothing to
    /// deliver, and the runtime has processed its inbox.
    static func quiesce(_ stack: DemoStack, clock: ManualClock, timeout: TimeInterval) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let core = stack.simulator.core
            let caughtUp = await core.now >= clock.now()
            let pending = await core.pendingNotifications
            let consumed = try stack.database.unprocessedInbox(limit: 1).isEmpty
            if caughtUp && pending == 0 && consumed { return }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
    }

    /// Waits (real time) until the inbox is processed and no remote is in flight.
    static func settle(_ stack: DemoStack, clock: ManualClock, timeout: TimeInterval = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let pendingNotifications = await stack.simulator.core.pendingNotifications
            let unprocessed = try stack.database.unprocessedInbox(limit: 1).count
            let open = try stack.database.loggedDecisions().flatMap(\.actionRecords).filter { !($0.actionStatus?.isFinal ?? true) }
            if pendingNotifications == 0 && unprocessed == 0 && open.isEmpty { return }
            clock.advance(by: 5)
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("the runtime did not settle in \(timeout) s")
    }

    /// POSTs `body` to the runtime's webhook (`secret` nil: the right one).
    static func post(_ stack: DemoStack, _ body: Data, secret: String? = nil) async throws -> (status: Int, body: String) {
        try await post(body, port: stack.runtime.boundPort ?? 0, secret: secret ?? stack.config.callback.webhookSecret.reveal())
    }

    /// POSTs `body` as JSON to the webhook on loopback `port` under `secret`.
    static func post(_ body: Data, port: Int, secret: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/webhook/\(secret)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: text))
    }

    /// The observations the runtime consumed, as a replay events file: per inbox
    /// notification, the `vehicle.status` it carries as extended data (a `status` line:
    /// the runtime reads it first), then the `message`. The runtime consumes each car's
    /// notifications in the order they were stored, and a late one (a batch or a retry
    /// overtaken by a newer message) is observed no earlier than the car's previous
    /// observation; the lines follow the same order and instants.
    static func replayLines(_ inbox: [InboxRecord]) -> String {
        var rows: [(Millis, Int64, Int, String)] = []
        for observed in observedMessages(inbox) {
            let (at, id, vin, body) = (observed.at, observed.id, observed.vin, observed.body)
            let text = RFC3339.formatUTC(at)
            var order = 0
            for ext in body["monitorEvent"]?["extensions"]?.arrayValue ?? [] where ext["type"]?.stringValue == "vehicle.status" {
                for item in ext["body"]?.arrayValue ?? [] {
                    guard let status = item["status"] else { continue }
                    rows.append((at, id, order, line(text, vin, "status", status)))
                    order += 1
                }
            }
            rows.append((at, id, order, line(text, vin, "message", body)))
        }
        return rows.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3).joined(separator: "\n") + "\n"
    }

    /// The stored monitor notifications in the order the runtime consumed them (by row id),
    /// each at the instant it was observed: its `date`, but no earlier than the same
    /// vehicle's previous one.
    static func observedMessages(_ inbox: [InboxRecord]) -> [(at: Millis, id: Int64, vin: String, body: JSONValue)] {
        var observed: [(at: Millis, id: Int64, vin: String, body: JSONValue)] = []
        var latest: [String: Millis] = [:]
        for row in inbox.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            guard let vin = row.vin, let date = row.eventDate.flatMap(RFC3339.parse),
                  let body = StoreJSON.parse(row.body), body["monitorEvent"] != nil else { continue }
            let at = max(date, latest[vin] ?? date)
            latest[vin] = at
            observed.append((at, row.id ?? 0, vin, body))
        }
        return observed
    }

    private static func line(_ at: String, _ vin: String, _ key: String, _ value: JSONValue) -> String {
        StoreJSON.string(.object(["at": .string(at), "vin": .string(vin), key: value]))
    }

    /// A decision in the dry-run shape, for comparison.
    static func key(_ d: DecisionRecord) -> String {
        var copy = d
        copy.inboxId = nil
        return StoreJSON.string(copy.jsonValue)
    }
}
