import Foundation

/// The plumbing of the seeded fuzz tests: `VIGIE_FUZZ_CASES=N` and `VIGIE_FUZZ_SEED=S`
/// set a run (docs/testing.md); each input is written to `$TMPDIR/vigie-fuzz/` before it
/// is tried, so a crash leaves it behind, to be kept under `Tests/Fixtures/fuzz/` as a
/// regression input.
package struct FuzzRun: Sendable {
    package var cases: Int
    package var seed: UInt64

    package init(defaultCases: Int, defaultSeed: UInt64,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        cases = Int(environment["VIGIE_FUZZ_CASES"] ?? "") ?? defaultCases
        seed = UInt64(environment["VIGIE_FUZZ_SEED"] ?? "") ?? defaultSeed
    }

    /// `$TMPDIR/vigie-fuzz`, where inputs being tried are saved.
    package static var folder: URL { FileManager.default.temporaryDirectory.appendingPathComponent("vigie-fuzz") }

    /// Where to save an input named `name` (the folder is created).
    package static func inputURL(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name)
    }

    /// The kept regression inputs of a repository folder whose names end with `suffix`,
    /// sorted by name.
    package static func keptInputs(_ relativeFolder: String, suffix: String) throws -> [(name: String, data: Data)] {
        let folder = SharedFiles.repoFile(relativeFolder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(suffix) }.sorted()
        return try names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }
}
