import Foundation
import VigieTestSupport
import XCTest
@testable import RuleLanguage

/// Fuzzing of rule files (issue 7 item 3): structure-aware generated bundles
/// (`RuleFileFuzzGenerator`) go through `RuleValidator`. Never a crash or a hang; every
/// diagnostic has a known code with its catalogued severity, a non-empty one-line
/// message and a file:line:column inside the file. `VIGIE_FUZZ_CASES=N` (default 3,000)
/// and `VIGIE_FUZZ_SEED=S` set the run; the input being tried is first written to
/// `$TMPDIR/vigie-fuzz/last-rules.yaml`, so a crash leaves it behind for
/// `Tests/Fixtures/fuzz/rules/`.
final class RuleFileFuzzTests: XCTestCase {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var cases: Int { Int(environment["VIGIE_FUZZ_CASES"] ?? "") ?? 3_000 }
    static var seed: UInt64 { UInt64(environment["VIGIE_FUZZ_SEED"] ?? "") ?? 20_261_127 }

    func testGeneratedRuleFilesNeverCrashAndEveryDiagnosticIsLocated() throws {
        var generator = RuleFileFuzzGenerator(seed: Self.seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-fuzz")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let last = folder.appendingPathComponent("last-rules.yaml")
        var slowest = 0.0, clean = 0, codes = Set<String>()
        for _ in 0..<Self.cases {
            let text = generator.file()
            try text.write(to: last, atomically: false, encoding: .utf8)
            let (elapsed, found) = check(text, name: "seed \(Self.seed)")
            slowest = max(slowest, elapsed)
            if !found.contains(where: { $0.severity == .error }) { clean += 1 }
            codes.formUnion(found.map(\.code))
        }
        XCTAssertGreaterThan(clean, Self.cases / 20, "the generator should keep some files valid")
        XCTAssertGreaterThan(codes.count, 20, "the generator should reach many codes: \(codes.sorted())")
        XCTAssertLessThan(slowest, 10, "a case took \(slowest) s")
        print("rule fuzz: \(Self.cases) files, \(clean) without errors, \(codes.count) codes reached, slowest \(slowest) s")
    }

    func testKeptRegressionInputs() throws {
        let folder = SharedFiles.repoFile("Tests/Fixtures/fuzz/rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            check(String(decoding: data, as: UTF8.self), name: name)
        }
    }

    @discardableResult
    func check(_ text: String, name: String, file: StaticString = #filePath, line: UInt = #line) -> (Double, [Diagnostic]) {
        let start = Date()
        let result = RuleValidator.validate([SourceFile(path: "fuzz.yaml", text: text)])
        let elapsed = Date().timeIntervalSince(start)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for d in result.diagnostics {
            let context = "\(name): \(d.code)@\(d.range.start.line):\(d.range.start.column) \(d.message)\n\(text.prefix(2_000))"
            XCTAssertEqual(d.severity, DiagnosticCode.named(d.code)?.severity, context, file: file, line: line)
            XCTAssertEqual(d.range.file, "fuzz.yaml", context, file: file, line: line)
            XCTAssertTrue((1...lines).contains(d.range.start.line) && d.range.start.column >= 1, context, file: file, line: line)
            XCTAssertFalse(d.range.end < d.range.start, context, file: file, line: line)
            XCTAssertFalse(d.message.isEmpty || d.message.contains(where: \.isNewline), context, file: file, line: line)
        }
        XCTAssertEqual(result.bundles.isEmpty, result.hasErrors, name, file: file, line: line)
        return (elapsed, result.diagnostics)
    }
}
