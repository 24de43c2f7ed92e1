import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import VigieTestSupport
import XCTest

/// A minimal W3C WebDriver client for chromedriver driving Debian's headless chromium:
/// the console's browser test (docs/console.md). chromedriver is started on a free port
/// and stopped with the client.
final class WebDriver: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let process: Process
    private let base: URL
    /// The browser session's id, set once chromedriver created it ("" before).
    private let sessionID = Mutex("")
    private var session: String { sessionID.withLock { $0 } }

    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"

    /// Starts chromedriver and a headless chromium session; throws (never skips) when either
    /// is missing: `.ci/run` installs them (`apt-get install chromium chromium-driver`).
    init() async throws {
        for tool in [Self.chromium, Self.chromedriver] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failure(description: "\(tool) is missing: apt-get install chromium chromium-driver (.ci/run does)")
        }
        let port = try LoopbackPort.free()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.chromedriver)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        base = URL(string: "http://127.0.0.1:\(port)")!
        do {
            try await start(port: port)
        } catch {
            await stop()
            throw error
        }
    }

    private func start(port: Int) async throws {
        let deadline = Date().addingTimeInterval(20)
        while true {
            if let status = try? await request("GET", "/status", nil) as? [String: Any],
               (status["ready"] as? Bool) == true { break }
            guard Date() < deadline else { throw Failure(description: "chromedriver did not answer on port \(port)") }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": Self.chromium,
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                            "--window-size=1366,900", "--hide-scrollbars"]],
        ]]]
        let created = try await request("POST", "/session", capabilities) as? [String: Any]
        guard let id = created?["sessionId"] as? String else { throw Failure(description: "no session: \(String(describing: created))") }
        sessionID.withLock { $0 = id }
    }

    func quit() async {
        if !session.isEmpty { _ = try? await request("DELETE", "/session/\(session)", nil) }
        await stop()
    }

    /// Ends chromedriver: SIGTERM, then SIGKILL if it is still there after 5 s.
    private func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func go(_ url: String) async throws { _ = try await command("POST", "/url", ["url": url]) }

    var url: String { get async throws { try await command("GET", "/url", nil) as? String ?? "" } }

    /// The page's visible text.
    func text() async throws -> String { try await script("return document.body.innerText;") as? String ?? "" }

    /// The live stream's state as the page shows it (`live`, `live: connecting`…).
    func stream() async throws -> String {
        try await script("var e = document.getElementById('stream-state'); return e ? e.textContent : '';") as? String ?? ""
    }

    func script(_ source: String, _ args: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": source, "args": args])
    }

    func element(_ css: String) async throws -> String {
        let found = try await command("POST", "/element", ["using": "css selector", "value": css]) as? [String: Any]
        guard let id = found?.values.first as? String else { throw Failure(description: "no element \(css)") }
        return id
    }

    func type(_ css: String, _ text: String) async throws {
        _ = try await command("POST", "/element/\(try await element(css))/value", ["text": text])
    }

    func click(_ css: String) async throws {
        _ = try await command("POST", "/element/\(try await element(css))/click", [String: Any]())
    }

    /// Waits (up to `timeout` seconds of real time) until `condition` holds.
    func wait(_ what: String, timeout: TimeInterval = 20, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try await !condition() {
            guard Date() < deadline else { throw Failure(description: "timed out waiting for \(what)") }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// A PNG of the viewport, written to `path`.
    func screenshot(to path: String) async throws {
        guard let base64 = try await command("GET", "/screenshot", nil) as? String, let data = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }

    private func command(_ method: String, _ path: String, _ body: Any?) async throws -> Any? {
        try await request(method, "/session/\(session)\(path)", body)
    }

    private func request(_ method: String, _ path: String, _ body: Any?) async throws -> Any? {
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let value = object?["value"]
        if let error = value as? [String: Any], let name = error["error"] as? String {
            throw Failure(description: "\(method) \(path): \(name): \(error["message"] ?? "")")
        }
        return value is NSNull ? nil : value
    }
}
