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

    func testSIGTERMWhileTheAPIIsUnreachableExits0() async throws {
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        let (h, folder) = try await unreachableAPIConfig(port: port, adminPort: adminPort)
        addTeardownBlock {
            await h.stop()
            try? FileManager.default.removeItem(at: folder)
        }
        let serve = try ServeProcess(h, folder: folder, arguments: ["--log-level", "info"])
        defer { serve.terminateIfRunning() }
        let ready = try await serve.poll(h, adminPort: adminPort, path: "/readyz") { $0 != nil }
        XCTAssertEqual(ready, 503, "not ready while the API cannot be reached")
        // Let a few background attempts fail (base 1 s in config defaults or less), so the
        // failed attempts' clients have been dropped before the signal.
        let stored = try await h.notify(vin: h.vins[0], values: ["vehicle.energy.electric.level": "42"],
                                        date: ServeHarness.start, port: port)
        XCTAssertEqual(stored, 200, "notifications are stored while the API is unreachable")
        serve.signal(SIGTERM)
        try await serve.waitForExit(seconds: 10)
        XCTAssertFalse(serve.isRunning, "serve stopped within 10 s of SIGTERM")
        serve.killIfRunning()
        let log = serve.errorLog()
        XCTAssertEqual(serve.process.terminationStatus, 0, log)
        XCTAssertEqual(serve.process.terminationReason, .exit, log)
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
        let serve = try ServeProcess(h, folder: folder, arguments: ["--log-level", "info"])
        defer { serve.terminateIfRunning() }
        try await serve.waitForExit(seconds: 20)
        XCTAssertFalse(serve.isRunning, "serve gives up at once when its admin address is taken")
        serve.killIfRunning()   // never read its stderr to the end while it runs
        let log = serve.errorLog()
        XCTAssertEqual(serve.process.terminationStatus, 1, log)
        XCTAssertEqual(serve.process.terminationReason, .exit, log)
        let lines = log.split(separator: "\n").filter { $0.hasPrefix("error:") }
        XCTAssertEqual(lines.count, 1, "the start-up error is printed once:\n\(log)")
        XCTAssertTrue(lines.first?.contains("127.0.0.1:\(adminPort)") ?? false, log)
    }
}
