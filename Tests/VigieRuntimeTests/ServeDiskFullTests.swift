import Foundation
import OutcomeStore
import XCTest
@testable import VigieRuntime

/// Never deaf, when the disk is full: on a small tmpfs filled to the last byte the
/// receiver answers an error for what it could not store (never 200), serve keeps
/// running and answers `/healthz`; once space returns it stores and decides again by
/// itself; with the disk full again, a shutdown still ends within a few seconds. Every
/// notification answered 200 is in the inbox.
///
/// Needs root to mount a tmpfs (CI runs as root): the test fails, not skips, without it.
final class ServeDiskFullTests: XCTestCase {
    /// A tmpfs of `size` at a new folder; unmounted at teardown.
    private func mountTmpfs(size: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mount = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", folder.path])
        XCTAssertEqual(mount.status, 0, "cannot mount a tmpfs (the test needs root): \(mount.output)")
        guard mount.status == 0 else { throw CancellationError() }
        addTeardownBlock {
            _ = try? Self.run("/bin/umount", ["-l", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        return folder
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    /// Writes a file until the file system refuses: the disk is full.
    private func fill(_ folder: URL) throws -> URL {
        let filler = folder.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(repeating: 0x5A, count: 4096)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        return filler
    }

    func testAFullDiskIsRefusedNotAcknowledgedAndServeRecoversByItself() async throws {
        let folder = try mountTmpfs(size: "4m")
        let h = ServeHarness(folder: folder)
        try await h.startSimulator()
        addTeardownBlock { await h.stop() }
        let runtime = try await h.startRuntime(rules: ServeRuntimeTests.hornRule)
        let vin = h.vins[0]
        var acknowledged = 0
        var sent = 0
        func post(level: Int) async throws -> Int {
            sent += 1
            let status = try await h.notify(vin: vin, values: ["vehicle.energy.electric.level": "\(level)"],
                                            date: ServeHarness.start.addingTimeInterval(Double(sent)))
            if status == 200 { acknowledged += 1 }
            return status
        }
        let first = try await post(level: 80)
        XCTAssertEqual(first, 200)

        let filler = try fill(folder)
        var refused: Int?
        for _ in 0..<3_000 where refused == nil {
            let status = try await post(level: 80)
            if status != 200 { refused = status }
        }
        let status = try XCTUnwrap(refused, "a full disk never refused a notification")
        XCTAssertEqual(status, 503, "a notification not stored is answered 503 (never 200), so the API retries")
        let (health, _) = try await h.get("/healthz")
        XCTAssertEqual(health, 200, "serve keeps running")

        // Space returns: it stores and decides again, by itself.
        try FileManager.default.removeItem(at: filler)
        let back = try await post(level: 15)
        XCTAssertEqual(back, 200)
        try await h.waitUntil("the engine decides again", step: 0) { try h.firings().count == 1 }
        XCTAssertEqual(try h.database().inbox().count, acknowledged, "every notification answered 200 is in the inbox")

        // Full again: a shutdown still ends within a few seconds.
        _ = try fill(folder)
        _ = try await post(level: 80)
        let started = Date()
        await h.stopRuntime()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "shutdown with the disk full")
        XCTAssertNotNil(runtime.boundPort)
    }
}
