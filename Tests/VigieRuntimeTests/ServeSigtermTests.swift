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
        let vigie = try ServeCommandTests.binary()
        let h = ServeHarness()
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-sigterm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let port = try ServeCommandTests.freePort()
        let adminPort = try ServeCommandTests.freePort()
        try await ServeCommandTests.writeConfig(h, folder: folder, port: port, adminPort: adminPort)

        let process = Process()
        process.executableURL = vigie
        process.arguments = ["serve", "--config", folder.appendingPathComponent("vigie.yaml").path, "--log-level", "notice"]
        process.environment = ["VIGIE_CLIENT_SECRET": h.simConfig.clientSecret, "VIGIE_WEBHOOK_SECRET": h.secret]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var healthy = false
        for _ in 0..<200 where !healthy && process.isRunning {
            healthy = (try? await ServeCommandTests.status(h, "http://127.0.0.1:\(adminPort)/healthz")) == 200
            if !healthy { try await Task.sleep(nanoseconds: 50_000_000) }
        }
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
        kill(process.processIdentifier, SIGTERM)
        let signalled = Date()
        while process.isRunning && Date().timeIntervalSince(signalled) < 10 { try await Task.sleep(nanoseconds: 20_000_000) }
        XCTAssertFalse(process.isRunning, "serve stopped within 10 s of SIGTERM")
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 5)
        await load.value
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, log)

        let acknowledged = await tally.acknowledged
        let database = try OutcomeDatabase(path: folder.appendingPathComponent("vigie.sqlite").path)
        let stored = try database.inbox().count
        XCTAssertGreaterThanOrEqual(stored, acknowledged, "every notification answered 200 is in the inbox")
    }
}
