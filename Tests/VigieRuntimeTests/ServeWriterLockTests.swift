import Foundation
import VigieTestSupport
import XCTest

/// One `vigie serve` per database file: a second start on the same file exits 1 naming
/// the running one ("in use by pid N since T") before it opens, migrates or recovers
/// anything, and the first keeps serving; once the first has stopped, a new start works.
final class ServeWriterLockTests: XCTestCase {
    func testASecondServeOnTheSameDatabaseIsRefusedAndTheFirstKeepsServing() async throws {
        let vigie = try ServeCommandTests.binary()
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = try TemporaryFolder(prefix: "vigie-serve-lock")
        addTeardownBlock { folder.remove() }
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        try await ServeCommandTests.writeConfig(h, folder: folder.url, port: port, adminPort: adminPort)
        let environment = ["VIGIE_CLIENT_SECRET": h.simConfig.clientSecret, "VIGIE_WEBHOOK_SECRET": h.secret]

        let first = try Self.launch(vigie, folder: folder, environment: environment)
        defer { if first.isRunning { first.terminate() } }
        try await Self.waitHealthy(h, port: adminPort, process: first)

        // Same configuration, so the same port too: without the lock taken first, the
        // second start would run its recovery and only then fail on the address in use.
        let second = try folder.vigie(["serve", "--config", folder.path("vigie.yaml")], environment: environment)
        XCTAssertEqual(second.exitCode, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("database \(folder.path("vigie.sqlite")) in use by pid \(first.processIdentifier) since "),
                      second.stderr)
        XCTAssertEqual(second.stderr.components(separatedBy: "in use by").count, 2, "said once: \(second.stderr)")
        XCTAssertFalse(second.stderr.contains("address"), "it stopped before binding: \(second.stderr)")
        let health = try await ServeCommandTests.status(h, "http://127.0.0.1:\(adminPort)/healthz")
        XCTAssertEqual(health, 200, "the first serve is unaffected")

        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)

        let third = try Self.launch(vigie, folder: folder, environment: environment)
        defer { if third.isRunning { third.terminate() } }
        try await Self.waitHealthy(h, port: adminPort, process: third)
        kill(third.processIdentifier, SIGTERM)
        third.waitUntilExit()
        XCTAssertEqual(third.terminationStatus, 0)
    }

    private static func launch(_ vigie: URL, folder: TemporaryFolder, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = vigie
        process.arguments = ["serve", "--config", folder.path("vigie.yaml")]
        process.environment = environment
        process.currentDirectoryURL = folder.url
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls the admin listener's `/healthz` until it answers 200 (serve is up), up to 10 s.
    private static func waitHealthy(_ h: ServeHarness, port: Int, process: Process) async throws {
        for _ in 0..<200 where process.isRunning {
            if (try? await ServeCommandTests.status(h, "http://127.0.0.1:\(port)/healthz")) == 200 { return }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTFail("serve did not answer /healthz (running: \(process.isRunning))")
    }
}
