import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import OutcomeStore
import Synchronization
import XCTest
@testable import VigieRuntime

/// Issue 16's crash check: a real `vigie serve` process killed with SIGKILL while its
/// notifications are queued and being sent to a local webhook sink, then started again
/// on the same database. Every notification is delivered at least once, and the sink
/// sees each delivery id at most once per attempt the database recorded for it.
final class NotifierCrashTests: XCTestCase {
    /// A webhook receiver that answers 200 after `delay` and counts, per `webhook-id`, the
    /// successful answers it gave.
    final class Sink: Sendable {
        private let seen = Mutex<[String: Int]>([:])
        private let open = Mutex(0)
        private let task = Mutex<Task<Void, Error>?>(nil)

        var counts: [String: Int] { seen.withLock { $0 } }
        var answered: Int { seen.withLock { $0.values.reduce(0, +) } }
        /// Requests received and not answered yet.
        var inFlight: Int { open.withLock { $0 } }

        /// Starts listening; returns the port.
        func start(delay: Duration) async throws -> Int {
            let router = Router()
            router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
                _ = try await request.body.collect(upTo: 1 << 20)
                guard let id = request.headers[HTTPField.Name("webhook-id")!] else { return .badRequest }
                self.open.withLock { $0 += 1 }
                defer { self.open.withLock { $0 -= 1 } }
                try await Task.sleep(for: delay)
                self.seen.withLock { $0[id, default: 0] += 1 }
                return .ok
            }
            let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
            var logger = Logger(label: "sink")
            logger.logLevel = .critical
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                  onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
            task.withLock { $0 = Task { try await app.run() } }
            for await port in ports { return port }
            throw CancellationError()
        }

        func stop() { task.withLock { $0?.cancel() } }
    }

    static let rules = """
        vigie: 1
        bundle: crash
        rules:
          - id: low
            when: battery.level < 20
            then:
              - notify: "{{vin}} low at {{battery.level}} %"
        """

    /// `vigie serve` in `folder`, with the sink channel's secret in its environment.
    private func serve(_ h: ServeHarness, folder: URL) throws -> ServeProcess {
        try ServeProcess(h, folder: folder, arguments: ["--log-level", "info"],
                         environment: ["SINK_SECRET": "sink-secret-never-logged-4242"], inFolder: true)
    }

    private func waitUntil(_ what: String, timeout: Double, _ condition: () async -> Bool) async throws {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if await condition() { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("timed out after \(timeout) s waiting until \(what)")
        throw CancellationError()
    }

    func testKilledWhileSendingEveryNotificationIsDeliveredAtLeastOnceUnderItsId() async throws {
        let h = ServeHarness { $0.vehicles = 3 }
        try await h.startSimulator()
        let sink = Sink()
        let sinkPort = try await sink.start(delay: .milliseconds(800))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-ncrash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock {
            sink.stop()
            await h.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let port = try ServeCommandTests.freePort()
        try await ServeCommandTests.writeConfig(h, folder: folder, port: port)
        try Self.rules.write(to: folder.appendingPathComponent("rules.yaml"), atomically: true, encoding: .utf8)
        // Five attempts a second at most: the queue is still long when serve is killed. The
        // guardrails would hold a rule rising this often (flapping, loop): not under test.
        let yaml = try String(contentsOf: folder.appendingPathComponent("vigie.yaml"), encoding: .utf8) + """

            safety: {flap_max_rises: 1000, loop_max_firings: 1000}
            notifications:
              default: [sink]
              channels:
                sink:
                  webhook: {url: "http://127.0.0.1:\(sinkPort)/hook", secret: {env: SINK_SECRET}}
                  timeout: 2s
                  rate_limit: {count: 5, per: 1s}
            """
        try yaml.write(to: folder.appendingPathComponent("vigie.yaml"), atomically: true, encoding: .utf8)

        var running = try serve(h, folder: folder)
        defer { running.killIfRunning() }
        try await waitUntil("serve listens", timeout: 30) {
            (try? await h.notify(vin: h.vins[0], values: ["vehicle.energy.electric.level": "50"], date: Date(),
                                 port: port)) == 200
        }
        // Ten rises per vehicle: 30 notifications.
        let rises = 10
        for round in 0..<rises {
            for vin in h.vins {
                for level in ["10", "50"] {
                    let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": level],
                                                    date: Date(), port: port)
                    XCTAssertEqual(status, 200, "round \(round)")
                }
            }
        }
        let expected = rises * h.vins.count
        // Killed while the sink holds requests: those attempts are never recorded.
        try await waitUntil("some delivered, others being sent", timeout: 30) { sink.answered >= 4 && sink.inFlight >= 1 }
        running.killIfRunning()
        let before = sink.counts
        XCTAssertLessThan(before.count, expected, "killed before every notification was delivered")

        running = try serve(h, folder: folder)
        do {
            // Read-only beside the running serve (WAL): every delivery recorded as delivered.
            var readOnly = Configuration()
            readOnly.readonly = true
            let reader = try DatabaseQueue(path: folder.appendingPathComponent("vigie.sqlite").path, configuration: readOnly)
            try await waitUntil("every notification delivered", timeout: 90) {
                let done = (try? reader.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM notificationDelivery WHERE status = 'delivered'")
                }) ?? nil
                return sink.counts.count >= expected && (done ?? 0) >= expected
            }
        } catch {
            running.signal(SIGTERM)
            running.process.waitUntilExit()
            let log = running.errorLog()
            XCTFail("the sink saw \(sink.counts.count) of \(expected) ids (\(before.count) before the kill); log:\n\(log.suffix(4_000))")
            throw error
        }
        running.signal(SIGTERM)
        running.process.waitUntilExit()
        let log = running.errorLog()
        XCTAssertEqual(running.process.terminationStatus, 0, log)
        XCTAssertFalse(log.contains("sink-secret-never-logged-4242"), "the channel's secret reached the log")

        let database = try OutcomeDatabase(path: folder.appendingPathComponent("vigie.sqlite").path)
        let deliveries = try database.notificationDeliveries(status: nil, limit: 10_000)
        XCTAssertEqual(deliveries.count, expected, "one delivery per notification")
        XCTAssertEqual(Set(deliveries.map(\.status)), [.delivered])
        let counts = sink.counts
        XCTAssertEqual(Set(counts.keys), Set(deliveries.map(\.deliveryId)), "the sink saw exactly the stored ids")
        var resent = 0
        for delivery in deliveries {
            let attempts = try database.notificationAttempts(deliveryRowId: delivery.id)
            let seen = counts[delivery.deliveryId] ?? 0
            XCTAssertGreaterThanOrEqual(seen, 1, delivery.deliveryId)
            XCTAssertLessThanOrEqual(seen, attempts.count, "\(delivery.deliveryId): more answers than attempts")
            XCTAssertEqual(attempts.filter { $0.outcome == "delivered" }.count, 1, delivery.deliveryId)
            if attempts.count > 1 { resent += 1 }
        }
        for suffix in ["", "-wal"] {
            let path = folder.appendingPathComponent("vigie.sqlite" + suffix).path
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            XCTAssertNil(data.range(of: Data("sink-secret-never-logged-4242".utf8)), "the channel's secret is in \(path)")
        }
        XCTAssertGreaterThanOrEqual(resent, 1, "the attempts in flight at the kill were made again")
        print("notifier crash test: \(expected) notifications, \(before.count) delivered before the kill, "
              + "\(resent) sent again after it")
    }
}
