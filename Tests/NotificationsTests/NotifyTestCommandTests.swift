import Foundation
import Notifications
import Synchronization
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie notify test`: one line per channel against local fakes, exit 1 when one fails,
/// 64 for an unknown channel; the built binary too; no secret in its output.
final class NotifyTestCommandTests: XCTestCase {
    static let secrets = ["W": "webhook-secret-0123456789", "S": "client-secret-value", "HOOK": "hook-signing-secret-xyz",
                          "NTFY_TOKEN": "tk_notprintedtoken"]

    static func write(_ folder: TemporaryFolder, hook: URL, ntfy: URL) throws -> String {
        try folder.write("vigie.yaml", """
            api: {kind: b2b, client_id: c, client_secret: {env: S}, fleet_id: f1}
            callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: W}}
            rules: [rules]
            notifications:
              default: [ops]
              channels:
                ops: {webhook: {url: "\(hook.absoluteString)/hook", secret: {env: HOOK}}}
                phone: {ntfy: {url: "\(ntfy.absoluteString)", topic: vigie-test-topic, token: {env: NTFY_TOKEN}}}
            """).path
    }

    func testEachChannelReportedAndExitOneWhenOneFails() async throws {
        let folder = try TemporaryFolder(prefix: "vigie-notify-test")
        defer { folder.remove() }
        try await withProviderFake([FakeReply(status: 202, body: "queued")]) { hook, hookLog in
            try await withProviderFake([.json(401, #"{"code":40101,"http":401,"error":"unauthorized: tk_notprintedtoken"}"#)]) { ntfy, _ in
                let path = try Self.write(folder, hook: hook, ntfy: ntfy)
                let lines = LinesBox()
                let status = await NotifyTest.run(.init(configPath: path, environment: Self.secrets),
                                                  out: { lines.append($0) }, err: { lines.append("ERR " + $0) })
                XCTAssertEqual(status, 1)
                XCTAssertEqual(lines.all, [
                    "delivered  ops (webhook): HTTP 202: queued",
                    #"failed     phone (ntfy): HTTP 401: {"code":40101,"http":401,"error":"unauthorized: <redacted>"}"#,
                    "1 delivered, 1 not delivered",
                ])
                let request = try await hookLog.firstRequest()
                XCTAssertTrue(request.headers["webhook-id"]?.hasPrefix("vigie-test-") ?? false)
                XCTAssertTrue(request.text.contains("Test message from `vigie notify test` through channel ops"))

                let one = LinesBox()
                let only = await NotifyTest.run(.init(configPath: path, channel: "ops", environment: Self.secrets),
                                                out: { one.append($0) }, err: { one.append("ERR " + $0) })
                XCTAssertEqual(only, 0)
                XCTAssertEqual(one.all, ["delivered  ops (webhook): HTTP 202: queued", "1 delivered, 0 not delivered"])

                let unknown = LinesBox()
                let usage = await NotifyTest.run(.init(configPath: path, channel: "phnoe", environment: Self.secrets),
                                                 out: { unknown.append($0) }, err: { unknown.append($0) })
                XCTAssertEqual(usage, 64)
                XCTAssertEqual(unknown.all, ["error: no channel named `phnoe` in \(path) (channels: ops, phone)"])

                // The built binary, end to end: same lines, exit 1, no secret anywhere.
                let run = try CommandRunner.vigie(["notify", "test", "--config", path], environment: Self.secrets)
                XCTAssertEqual(run.exitCode, 1, run.stderr)
                XCTAssertTrue(run.stdout.hasPrefix("delivered  ops (webhook): HTTP 202: queued\n"), run.stdout)
                for secret in Self.secrets.values {
                    XCTAssertFalse(run.stdout.contains(secret) || run.stderr.contains(secret), secret)
                }
            }
        }
    }

    func testMissingFileIsUsage() async {
        let status = await NotifyTest.run(.init(configPath: "/nonexistent/vigie.yaml"), out: { _ in }, err: { _ in })
        XCTAssertEqual(status, 64)
    }
}

/// Lines collected from the `out`/`err` callbacks.
final class LinesBox: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
