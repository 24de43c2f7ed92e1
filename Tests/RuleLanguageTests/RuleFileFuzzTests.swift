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
    static let fuzz = FuzzRun(defaultCases: 3_000, defaultSeed: 20_261_127)

    func testGeneratedRuleFilesNeverCrashAndEveryDiagnosticIsLocated() throws {
        var generator = RuleFileFuzzGenerator(seed: Self.fuzz.seed)
        let last = try FuzzRun.inputURL("last-rules.yaml")
        var slowest = 0.0, clean = 0, codes = Set<String>()
        for _ in 0..<Self.fuzz.cases {
            let text = generator.file()
            try text.write(to: last, atomically: false, encoding: .utf8)
            let (elapsed, found) = check(text, name: "seed \(Self.fuzz.seed)")
            slowest = max(slowest, elapsed)
            if !found.contains(where: { $0.severity == .error }) { clean += 1 }
            codes.formUnion(found.map(\.code))
        }
        XCTAssertGreaterThan(clean, Self.fuzz.cases / 20, "the generator should keep some files valid")
        XCTAssertGreaterThan(codes.count, 20, "the generator should reach many codes: \(codes.sorted())")
        XCTAssertLessThan(slowest, 10, "a case took \(slowest) s")
        print("rule fuzz: \(Self.fuzz.cases) files, \(clean) without errors, \(codes.count) codes reached, slowest \(slowest) s")
    }

    func testKeptRegressionInputs() throws {
        let kept = try FuzzRun.keptInputs("Tests/Fixtures/fuzz/rules", suffix: ".yaml")
        XCTAssertFalse(kept.isEmpty)
        for (name, data) in kept { check(String(decoding: data, as: UTF8.self), name: name) }
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
