import VigieTestSupport
import XCTest
@testable import RuleLanguage

/// Seeded mutations of every example file: validation never crashes, every diagnostic
/// has a stable code and a range inside the file.
final class FuzzTests: XCTestCase {
    static let alphabet: [Unicode.Scalar] = Array("{}[]:,-'\"\\|>&*!#%@ \n\tabz09.é°()<=".unicodeScalars)

    func testMutatedExamplesNeverCrash() {
        var rng = SeededRandom(seed: 2026)
        let codes = Set(DiagnosticCode.all.map(\.id))
        let seeds = DiagnosticCode.all.filter { $0.id != "file-too-large" && $0.id != "too-many-rules" }
            .flatMap { [$0.triggering, $0.nonTriggering] }
        var cases = 0
        for seed in seeds {
            for _ in 0..<25 {
                var s = Array(seed.unicodeScalars)
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !s.isEmpty {
                    let i = Int.random(in: 0..<s.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: s.remove(at: i)
                    case 1: s.insert(Self.alphabet.randomElement(using: &rng)!, at: i)
                    default: s[i] = Self.alphabet.randomElement(using: &rng)!
                    }
                }
                let text = String(String.UnicodeScalarView(s))
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
                for d in diagnose(text) {
                    XCTAssertTrue(codes.contains(d.code), "\(d.code) for:\n\(text)")
                    XCTAssertTrue(d.range.start.line >= 1 && d.range.start.line <= lines, "\(d) for:\n\(text)")
                    XCTAssertFalse(d.range.end < d.range.start, "\(d) for:\n\(text)")
                }
                cases += 1
            }
        }
        XCTAssertGreaterThan(cases, 1_000)
    }
}
