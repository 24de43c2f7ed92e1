import Foundation
import VigieTestSupport
import XCTest

/// One `vigie serve` per database file: a second start on the same file exits 1 naming
/// the running one ("in use by pid N since T") before it opens, migrates or recovers
/// anything, and the first keeps serving; once the first has stopped, a new start works.
final class ServeWriterLockTests: XCTestCase {
    func testASecondServeOnTheSameDatabaseIsRefusedAndTheFirstKeepsServing() async throws {
        _ = try ServeCommandTests.binary()
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = try TemporaryFolder(prefix: "vigie-serve-lock")
        addTeardownBlock { folder.remove() }
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        try await ServeCommandTests.writeConfig(h, folder: folder.url, port: port, adminPort: adminPort)
        let environment = ["VIGIE_CLIENT_SECRET": h.simConfig.clientSecret, "VIGIE_WEBHOOK_SECRET": h.secret]

        let first = try ServeProcess(h, folder: folder.url, inFolder: true, keepErrors: false)
        defer { first.terminateIfRunning() }
        let firstUp = try await first.waitHealthy(h, adminPort: adminPort)
        XCTAssertTrue(firstUp, "serve did not answer /healthz (running: \(first.isRunning))")

        // Same configuration, so the same port too: without the lock taken first, the
        // second start would run its recovery and only then fail on the address in use.
        let second = try folder.vigie(["serve", "--config", folder.path("vigie.yaml")], environment: environment)
        XCTAssertEqual(second.exitCode, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("database \(folder.path("vigie.sqlite")) in use by pid \(first.pid) since "),
                      second.stderr)
        XCTAssertEqual(second.stderr.components(separatedBy: "in use by").count, 2, "said once: \(second.stderr)")
        XCTAssertFalse(second.stderr.contains("address"), "it stopped before binding: \(second.stderr)")
        let health = try await ServeCommandTests.status(h, "http://127.0.0.1:\(adminPort)/healthz")
        XCTAssertEqual(health, 200, "the first serve is unaffected")

        first.signal(SIGTERM)
        first.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationStatus, 0)

        let third = try ServeProcess(h, folder: folder.url, inFolder: true, keepErrors: false)
        defer { third.terminateIfRunning() }
        let thirdUp = try await third.waitHealthy(h, adminPort: adminPort)
        XCTAssertTrue(thirdUp, "serve did not answer /healthz (running: \(third.isRunning))")
        third.signal(SIGTERM)
        third.process.waitUntilExit()
        XCTAssertEqual(third.process.terminationStatus, 0)
    }
}
