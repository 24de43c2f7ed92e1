import Foundation
import XCTest
import VigieTestSupport

/// The committed catalog is what scripts/generate-catalog.py produces from today's
/// api-b2c.yaml. Two checks: the FNV-1a checksums the generator records in the header
/// (the API file, the script, the Swift body, docs/fields.md — works without Python), and,
/// when python3 with PyYAML is installed, re-running the generator in `--check` mode.
final class GeneratorDriftTests: XCTestCase {
    static let generated = "Sources/VehicleData/CatalogTable.generated.swift"

    func testRecordedChecksumsMatchTheInputsAndOutputs() throws {
        let text = try String(contentsOf: SharedFiles.repoFile(Self.generated), encoding: .utf8)
        let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 3)
        let recorded = Self.checksums(in: String(lines[1]))
        let body = String(lines[2])
        let expected: [String: Data] = [
            "input": try Data(contentsOf: SharedFiles.apiFile("api-b2c.yaml")),
            "script": try Data(contentsOf: SharedFiles.repoFile("scripts/generate-catalog.py")),
            "body": Data(body.utf8),
            "docs": try Data(contentsOf: SharedFiles.repoFile("docs/fields.md")),
        ]
        for (name, data) in expected {
            XCTAssertEqual(recorded[name], Self.fnv1a64(data),
                           "\(name) changed since generation: run scripts/generate-catalog.py and commit")
        }
    }

    func testRerunningTheGeneratorChangesNothing() throws {
        // python3 with PyYAML is part of the machine (.ci/run installs PyYAML when it is
        // missing): its absence fails the test.
        guard Self.pythonHasYAML() else {
            return XCTFail("python3 with PyYAML is needed to rerun scripts/generate-catalog.py")
        }
        let result = try Self.run("/usr/bin/env", ["python3", "scripts/generate-catalog.py",
                                                   SharedFiles.apiFile("api-b2c.yaml").path, "--check"])
        XCTAssertEqual(result.status, 0, "generator drift:\n\(result.output)")
    }

    func testChecksumMatchesTheGeneratorsDefinition() {
        // FNV-1a 64 reference values (offset basis for empty input).
        XCTAssertEqual(Self.fnv1a64(Data()), "cbf29ce484222325")
        XCTAssertEqual(Self.fnv1a64(Data("a".utf8)), "af63dc4c8601ec8c")
    }

    static func checksums(in header: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in header.split(separator: " ") {
            let kv = part.split(separator: "=")
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }

    static func fnv1a64(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func pythonHasYAML() -> Bool {
        guard let probe = try? run("/usr/bin/env", ["python3", "-c", "import yaml"]) else { return false }
        return probe.status == 0
    }

    static func run(_ executable: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        process.currentDirectoryURL = SharedFiles.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
