import Foundation
import StellantisAPI
import VigieTestSupport
import XCTest

/// Issue 18: `vigie serve` as systemd runs it with `Type=notify`, `LoadCredential=` and
/// `WatchdogSec=`: the secrets come from `${CREDENTIALS_DIRECTORY}`, `READY=1` arrives on
/// the `$NOTIFY_SOCKET` datagram socket only once the webhook listener answers, the
/// watchdog is pinged, `STOPPING=1` comes on SIGTERM, and every log line is JSON
/// (`--log-format json`) without a secret in it.
final class ServeNotifyTests: XCTestCase {
    func testReadyArrivesOnceTheListenerIsBound() async throws {
        let vigie = CommandRunner.vigieBinary
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: vigie.path), "vigie binary not built at \(vigie.path)")
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("vigie-notify-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("creds"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try h.simConfig.clientSecret.write(to: folder.appendingPathComponent("creds/client_secret"), atomically: true, encoding: .utf8)
        try h.secret.write(to: folder.appendingPathComponent("creds/webhook_secret"), atomically: true, encoding: .utf8)
        // Secrets from `${CREDENTIALS_DIRECTORY}`, the listeners on port 0.
        try await ServeCommandTests.writeConfig(h, folder: folder, port: 0, publicURL: "http://127.0.0.1:9", secrets: .credentials,
                                                logLevel: "debug")
        let socket = try NotifySocket(path: folder.appendingPathComponent("notify").path)
        defer { socket.close() }

        let process = Process()
        process.executableURL = vigie
        process.arguments = ["serve", "--config", folder.appendingPathComponent("vigie.yaml").path, "--log-format", "json"]
        process.environment = ["NOTIFY_SOCKET": socket.path, "CREDENTIALS_DIRECTORY": folder.appendingPathComponent("creds").path,
                               "WATCHDOG_USEC": "400000"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let ready = try await socket.receive(timeout: 30)
        XCTAssertTrue(ready.split(separator: "\n").contains("READY=1"), ready)
        XCTAssertTrue(ready.contains("MAINPID=\(process.processIdentifier)"), ready)
        let status = try XCTUnwrap(ready.split(separator: "\n").first { $0.hasPrefix("STATUS=listening on port ") })
        let port = try XCTUnwrap(Int(status.dropFirst("STATUS=listening on port ".count)))
        // Sent after the listener was bound: the very first request is answered (the public
        // listener serves only the webhook, so any other path is a 404 — but an answer).
        let response = try await h.http.execute(.init(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
        XCTAssertEqual(response.status.code, 404)
        let ping = try await socket.receive(timeout: 10)
        XCTAssertEqual(ping, "WATCHDOG=1")

        kill(process.processIdentifier, SIGTERM)
        var stopping = false
        for _ in 0..<20 where !stopping {
            let message = try await socket.receive(timeout: 10)
            stopping = message == "STOPPING=1"
        }
        XCTAssertTrue(stopping, "STOPPING=1 is sent on SIGTERM")
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, log)
        let lines = log.split(separator: "\n")
        XCTAssertGreaterThanOrEqual(lines.count, 2, log)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            XCTAssertNotNil(object?["message"] as? String, String(line))
            XCTAssertNotNil(object?["level"] as? String, String(line))
            XCTAssertNotNil(object?["time"] as? String, String(line))
        }
        XCTAssertTrue(log.contains("\"message\":\"vigie serve stopped\""), log)
        XCTAssertFalse(log.contains(h.secret), "the webhook secret is never logged")
        XCTAssertFalse(log.contains(h.simConfig.clientSecret), "the client secret is never logged")
    }
}

/// The receiving end of sd_notify: an `AF_UNIX` datagram socket bound to a path.
final class NotifySocket: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw NotifySocketError(what: "socket", errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw NotifySocketError(what: "bind \(path)", errno: errno) }
    }

    /// The next datagram, waiting at most `timeout` seconds (off the cooperative pool).
    func receive(timeout: Double) async throws -> String {
        let fd = self.fd
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0 {
                    continuation.resume(throwing: NotifySocketError(what: "no notification within \(timeout) s", errno: errno))
                } else {
                    continuation.resume(returning: String(decoding: buffer[0..<count], as: UTF8.self))
                }
            }
        }
    }

    func close() {
        _ = Glibc.close(fd)
        unlink(path)
    }
}

struct NotifySocketError: Error, CustomStringConvertible {
    var what: String
    var errno: Int32
    var description: String { "\(what): \(String(cString: strerror(errno)))" }
}
