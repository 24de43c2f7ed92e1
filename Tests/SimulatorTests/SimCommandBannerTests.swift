import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import VigieTestSupport
import XCTest

/// `vigie sim --vehicles N` gives the printed token N vehicles; the foreign vehicle (a second
/// user's, for 403 tests) is an extra one, named in the banner; SIGTERM stops it with status 0.
final class SimCommandBannerTests: XCTestCase {
    func testVehiclesFlagCountsThePrintedUsersVehicles() async throws {
        let vigie = CommandRunner.vigieBinary
        guard FileManager.default.isExecutableFile(atPath: vigie.path) else {
            return XCTFail("vigie binary not built at \(vigie.path)")
        }
        let process = Process()
        process.executableURL = vigie
        process.arguments = ["sim", "--port", "0", "--vehicles", "3"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        var banner = ""
        // The banner ends with the foreign vehicle's line; EOF (the process died) stops too.
        while !banner.contains("foreign vehicle:") || !banner.hasSuffix("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        func field(_ name: String) -> String? {
            banner.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { $0.dropFirst(name.count + 1).split(separator: " ").first.map(String.init) }
        }
        XCTAssertTrue(banner.hasPrefix("vigie sim: 3 vehicles for user-1"), banner)
        XCTAssertTrue(banner.contains("+ 1 of user-2 (foreign vehicle"), banner)
        XCTAssertTrue(banner.contains("all 4 vehicles"), banner)
        let base = try XCTUnwrap(field("B2C base URL"), banner)
        let token = try XCTUnwrap(field("access_token"), banner)
        let foreign = try XCTUnwrap(field("foreign vehicle"), banner)
        func get(_ path: String) async throws -> (Int, Data) {
            var request = URLRequest(url: URL(string: "\(base)\(path)?client_id=vigie-sim-client")!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
        let (status, data) = try await get("/user/vehicles")
        XCTAssertEqual(status, 200)
        let list = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        XCTAssertEqual(list?["total"] as? Int, 3, "the printed token sees --vehicles vehicles")
        let (forbidden, _) = try await get("/user/vehicles/\(foreign)/status")
        XCTAssertEqual(forbidden, 403)
        // SIGTERM is a graceful stop: exit status 0 (docs/simulator.md).
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
