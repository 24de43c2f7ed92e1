import Foundation
import OutcomeStore
import VigieTestSupport
import XCTest
@testable import VigieRuntime

/// SIGTERM under load, on a real `vigie serve` process: POSTs in flight when the signal
/// comes; serve exits 0 within a few seconds, and every notification it answered 200 is
/// in the inbox.
final class ServeSigtermTests: XCTestCase {
    actor Tally {
        private(set) var next = 0
        private(set) var acknowledged = 0
        private(set) var refused = 0
        func take() -> Int {
            next += 1
            return next
        }
        func record(_ status: Int?) {
            if status == 200 { acknowledged += 1 } else { refused += 1 }
        }
    }

    func testSIGTERMUnderLoadExits0AndKeepsEveryAcknowledgedNotification() async throws {
        _ = try ServeCommandTests.binary()
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        try await ServeCommandTests.writeConfig(h, folder: folder, port: port, adminPort: adminPort)

        let serve = try ServeProcess(h, folder: folder, arguments: ["--log-level", "notice"])
        defer { serve.terminateIfRunning() }
        let healthy = try await serve.waitHealthy(h, adminPort: adminPort)
        XCTAssertTrue(healthy, "serve answers /healthz")

        let tally = Tally()
        let vin = h.vins[0]
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        while true {
                            let n = await tally.take()
                            let status = try? await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "\(n % 100)"],
                                                             date: ServeHarness.start.addingTimeInterval(Double(n)),
                                                             port: port)
                            await tally.record(status)
                            if status == nil { return }   // the listener is closed
                        }
                    }
                }
            }
        }
        try await Task.sleep(nanoseconds: 700_000_000)
        let beforeSignal = await tally.acknowledged
        XCTAssertGreaterThan(beforeSignal, 0, "the load is running")
        serve.signal(SIGTERM)
        let signalled = Date()
        try await serve.waitForExit(seconds: 10)
        XCTAssertFalse(serve.isRunning, "serve stopped within 10 s of SIGTERM")
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 5)
        await load.value
        let log = serve.errorLog()
        XCTAssertEqual(serve.process.terminationStatus, 0, log)

        let acknowledged = await tally.acknowledged
        let database = try OutcomeDatabase(path: folder.appendingPathComponent("vigie.sqlite").path)
        let stored = try database.inbox().count
        XCTAssertGreaterThanOrEqual(stored, acknowledged, "every notification answered 200 is in the inbox")
    }
}
