import Foundation
import VigieTestSupport
import XCTest
@testable import VigieRuntime

/// A real `vigie serve` process at the edges of its life: stopped while the API cannot be
/// reached (each failed connection attempt must release its HTTP client, or
/// AsyncHTTPClient stops the process), and started with its admin address taken (a
/// start-up error that names the address, printed once, exit 1).
final class ServeProcessLifecycleTests: XCTestCase {
    /// The harness with a config whose API address answers nothing (a port bound to
    /// nobody), so every connection attempt fails and is retried in the background.
    private func unreachableAPIConfig(port: Int, adminPort: Int) async throws -> (ServeHarness, URL) {
        let h = ServeHarness()
        try await h.startSimulator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-life-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await ServeCommandTests.writeConfig(h, folder: folder, port: port, adminPort: adminPort)
        let config = folder.appendingPathComponent("vigie.yaml")
        let dead = try ServeCommandTests.freePort()
        let yaml = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:\(h.simPort)", with: "127.0.0.1:\(dead)")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        return (h, folder)
    }

    private func serve(_ h: ServeHarness, folder: URL) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = try ServeCommandTests.binary()
        process.arguments = ["serve", "--config", folder.appendingPathComponent("vigie.yaml").path, "--log-level", "info"]
        process.environment = ["VIGIE_CLIENT_SECRET": h.simConfig.clientSecret, "VIGIE_WEBHOOK_SECRET": h.secret]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    private func waitForExit(_ process: Process, seconds: Double) async throws {
        let start = Date()
        while process.isRunning && Date().timeIntervalSince(start) < seconds {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func testSIGTERMWhileTheAPIIsUnreachableExits0() async throws {
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        let (h, folder) = try await unreachableAPIConfig(port: port, adminPort: adminPort)
        addTeardownBlock {
            await h.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let (process, errors) = try serve(h, folder: folder)
        defer { if process.isRunning { process.terminate() } }
        var ready: Int?
        for _ in 0..<200 where process.isRunning {
            ready = try? await ServeCommandTests.status(h, "http://127.0.0.1:\(adminPort)/readyz")
            if ready != nil { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTAssertEqual(ready, 503, "not ready while the API cannot be reached")
        // Let a few background attempts fail (base 1 s in config defaults or less), so the
        // failed attempts' clients have been dropped before the signal.
        let stored = try await h.notify(vin: h.vins[0], values: ["vehicle.energy.electric.level": "42"],
                                        date: ServeHarness.start, port: port)
        XCTAssertEqual(stored, 200, "notifications are stored while the API is unreachable")
        kill(process.processIdentifier, SIGTERM)
        try await waitForExit(process, seconds: 10)
        XCTAssertFalse(process.isRunning, "serve stopped within 10 s of SIGTERM")
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, log)
        XCTAssertEqual(process.terminationReason, .exit, log)
    }

    func testAdminAddressInUseIsNamedOnceAndExits1() async throws {
        let port = try ServeCommandTests.freePort()
        // Hold the admin port with a listening socket of our own.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(holder, 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(holder, 1), 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) }
        }
        let adminPort = Int(UInt16(bigEndian: address.sin_port))

        let (h, folder) = try await unreachableAPIConfig(port: port, adminPort: adminPort)
        addTeardownBlock {
            await h.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let (process, errors) = try serve(h, folder: folder)
        defer { if process.isRunning { process.terminate() } }
        try await waitForExit(process, seconds: 20)
        XCTAssertFalse(process.isRunning, "serve gives up at once when its admin address is taken")
        if process.isRunning {   // never read its stderr to the end while it runs
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 1, log)
        XCTAssertEqual(process.terminationReason, .exit, log)
        let lines = log.split(separator: "\n").filter { $0.hasPrefix("error:") }
        XCTAssertEqual(lines.count, 1, "the start-up error is printed once:\n\(log)")
        XCTAssertTrue(lines.first?.contains("127.0.0.1:\(adminPort)") ?? false, log)
    }
}
