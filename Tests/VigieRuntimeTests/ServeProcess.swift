import Foundation
import XCTest

/// A real `vigie serve` process, for the tests that need one (SIGTERM, start-up errors,
/// the writer lock): `vigie serve --config <folder>/vigie.yaml`, the harness's client and
/// webhook secrets in its environment, its standard error kept for the assertions.
final class ServeProcess {
    let process: Process
    private let errors: Pipe?

    /// Starts it. `arguments` come after `--config`; `environment` is added to the
    /// secrets; `inFolder` runs it in `folder`; `keepErrors: false` discards its stderr.
    init(_ h: ServeHarness, folder: URL, arguments: [String] = [], environment: [String: String] = [:],
         inFolder: Bool = false, keepErrors: Bool = true) throws {
        let process = Process()
        process.executableURL = try ServeCommandTests.binary()
        process.arguments = ["serve", "--config", folder.appendingPathComponent("vigie.yaml").path] + arguments
        process.environment = ["VIGIE_CLIENT_SECRET": h.simConfig.clientSecret, "VIGIE_WEBHOOK_SECRET": h.secret]
            .merging(environment) { $1 }
        if inFolder { process.currentDirectoryURL = folder }
        let errors = keepErrors ? Pipe() : nil
        process.standardError = errors ?? FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.errors = errors
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Polls `path` on the admin listener every 50 ms, at most 200 times, while the
    /// process runs, until `done` holds for the status; returns the last status (nil when
    /// nothing answered).
    @discardableResult
    func poll(_ h: ServeHarness, adminPort: Int, path: String = "/healthz",
              until done: (Int?) -> Bool = { $0 == 200 }) async throws -> Int? {
        var status: Int?
        for _ in 0..<200 where process.isRunning {
            status = try? await ServeCommandTests.status(h, "http://127.0.0.1:\(adminPort)\(path)")
            if done(status) { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return status
    }

    /// Polls `/healthz` until it answers 200; true when it did.
    func waitHealthy(_ h: ServeHarness, adminPort: Int) async throws -> Bool {
        try await poll(h, adminPort: adminPort) == 200
    }

    func signal(_ signal: Int32 = SIGTERM) { kill(process.processIdentifier, signal) }

    /// Waits (real time, 20 ms steps) up to `seconds` for the process to end.
    func waitForExit(seconds: Double) async throws {
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < seconds {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Kills it (SIGKILL) and reaps it when it is still running, so that its stderr can be
    /// read to the end.
    func killIfRunning() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Its standard error, read to the end: call once it has exited.
    func errorLog() -> String {
        guard let errors else { return "" }
        return String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Ends it with SIGTERM if it still runs (teardown: `defer { serve.terminateIfRunning() }`).
    func terminateIfRunning() {
        if process.isRunning { process.terminate() }
    }
}
