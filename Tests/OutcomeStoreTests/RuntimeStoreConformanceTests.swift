import Foundation
import GRDB
import OutcomeStore
import VigieTestSupport
import XCTest

/// The `RuntimeStore` conformance suite on the SQLite store, in a file and in memory.
final class RuntimeStoreConformanceTests: XCTestCase {
    /// Makes every write of an engine checkpoint of the failing scope abort its transaction.
    private static let armFailure: @Sendable (any RuntimeStore) async throws -> Void = { store in
        guard let database = store as? OutcomeDatabase else { throw OutcomeStoreError.missingDatabase("not SQLite") }
        try await database.writer.write { db in
            for event in ["INSERT", "UPDATE"] {
                try db.execute(sql: """
                    CREATE TRIGGER conformance_fail_\(event.lowercased()) BEFORE \(event) ON engineCheckpoint
                    WHEN NEW.scope = '\(RuntimeStoreConformance.failingScope)'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
        }
    }

    private func assertConforms(_ suite: RuntimeStoreConformance, file: StaticString = #filePath,
                                line: UInt = #line) async {
        let failures = await suite.run()
        XCTAssertEqual(failures.map(\.description), [], file: file, line: line)
    }

    func testInMemoryStoreConforms() async {
        await assertConforms(RuntimeStoreConformance(makeStore: { try OutcomeDatabase.inMemory() },
                                                     armFailure: Self.armFailure))
    }

    func testFileStoreConforms() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        await assertConforms(RuntimeStoreConformance(makeStore: {
            try OutcomeDatabase(path: folder.appendingPathComponent("store-\(UUID().uuidString).sqlite").path)
        }, armFailure: Self.armFailure))
    }

    /// The suite fails a store that breaks an invariant: without the injected failure, the
    /// "failing" step commits, which the atomicity check reports.
    func testTheSuiteCatchesAStepThatDidNotFail() async {
        let suite = RuntimeStoreConformance(makeStore: { try OutcomeDatabase.inMemory() }, armFailure: { _ in })
        let failures = await suite.run(only: "atomic")
        XCTAssertEqual(failures.map(\.description), ["decision step atomic: commit with an injected failure did not throw"])
    }
}
