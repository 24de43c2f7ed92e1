import Foundation
import VehicleData
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Notifications
import OutcomeStore
import ServiceLifecycle
import Synchronization
import VigieKit
import VigieRuntime
import VigieTestSupport
import XCTest

/// The secrets audit, for durable delivery: every channel kind delivers a rule's
/// notification through the notifier service to a provider that refuses it or fails,
/// echoing every secret in its answer. No secret reaches the database file, the log
/// lines, or `vigie log` (text and JSON) — where the answers are kept.
final class NotifierSecretsAuditTests: XCTestCase {
    func testNoSecretReachesTheDatabaseTheLogOrVigieLog() async throws {
        let folder = try TemporaryFolder(prefix: "vigie-naudit")
        defer { folder.remove() }
        let path = folder.path("vigie.sqlite")
        let capture = LogCapture()
        let logger = capture.logger(label: "audit")

        // A provider that answers every request with all of it — path, query, headers, body —
        // as its error text: 400 (refused) and 503 (retried) in turn.
        let turn = Mutex(0)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
            let text = "\(request.method) \(request.uri)\n\(headers)\n\n" + String(buffer: body)
            let status: HTTPResponse.Status = turn.withLock { $0 += 1; return $0 % 2 == 1 } ? .badRequest : .serviceUnavailable
            return Response(status: status, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CocoaError(.featureUnsupported) }
            let base = URL(string: "http://127.0.0.1:\(port)")!
            let channels = SecretsAudit.channels(base: base).enumerated().map { i, settings in
                ChannelConfiguration(name: "c\(i)", settings: settings, timeout: 5)
            }
            var settings = NotifierSettings(channels: channels, defaults: channels.map(\.name))
            settings.sweep = 0.1
            let store = try OutcomeDatabase(path: path)
            var decision = DecisionRecord(at: Date(), vin: "VIN1", bundle: "b", rule: "r", event: .fired,
                                          actions: [.notify("battery low")])
            decision.notifications[0] = NotificationRequest(channels: channels.map(\.name), text: "battery low", at: Date(),
                                                            vin: "VIN1", bundle: "b", rule: "r")
            try await store.commit(DecisionCommit(scope: "serve", decisions: [decision]), now: Date())
            let group = ServiceGroup(configuration: .init(
                services: [try settings.service(store: store, clock: SystemClock(), metrics: RuntimeMetrics(), logger: logger)],
                logger: logger))
            let running = Task { try await group.run() }
            let end = Date().addingTimeInterval(30)
            while Date() < end {
                let open = try store.notificationDeliveries(status: nil, limit: 100)
                    .filter { $0.status == .queued || $0.status == .sending }
                if open.isEmpty { break }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            await group.triggerGracefulShutdown()
            try await running.value
            let deliveries = try store.notificationDeliveries(status: nil, limit: 100)
            XCTAssertEqual(deliveries.count, 10)
            XCTAssertTrue(deliveries.allSatisfy { $0.status == .failed || $0.status == .retrying },
                          "\(deliveries.map(\.status))")
            XCTAssertTrue(deliveries.allSatisfy { $0.lastDetail != nil })
        }

        var haystacks: [(place: String, text: String)] = [("log", capture.text)]
        for format in [LogOptions.Format.text, .json] {
            let out = await LogReport.run(LogOptions(databasePath: path, format: format))
            XCTAssertEqual(out.exitCode, 0, out.stderr)
            XCTAssertTrue(out.stdout.contains("c9"), out.stdout)
            haystacks.append(("vigie log \(format)", out.stdout))
        }
        XCTAssertTrue(haystacks[0].1.contains("notification not delivered"), "the refusals were logged")
        haystacks += SecretsAudit.databaseFiles(path)
        XCTAssertEqual(SecretsAudit.leaks(of: SecretsAudit.allChannelSecrets, in: haystacks), [])
    }
}
