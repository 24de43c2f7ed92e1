import XCTest
@testable import RuleLanguage

final class TextDiagnosticRendererTests: XCTestCase {
    typealias F = RenderingFixtures

    func testHeaderSourceLineCaretsAndNotes() {
        let out = TextDiagnosticRenderer().render(F.report([F.unknownField]))
        XCTAssertEqual(out, "Rules/demo.yaml:5:42: error[unknown-field]: unknown field `battery.lvl`\n"
                       + "    when: outside.temperature < 5 °C and battery.lvl < 20\n"
                       + String(repeating: " ", count: 41) + String(repeating: "^", count: 11) + "\n"
                       + "note: did you mean `battery.level`?\n"
                       + "1 file, 0 bundles, 0 rules: 1 error, 0 warnings\n")
    }

    func testCaretsCountUnicodeScalars() {
        // `°` is one scalar and `❄️` two (U+2744 U+FE0F): column 32 counts them that way.
        let out = TextDiagnosticRenderer().render(F.unknownName, lines: SourceExcerpt.lines(of: F.text))
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines[2], String(repeating: " ", count: 31) + "^^^")
        let line = Array(lines[1].unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(line[31..<34])), "car")
    }

    func testTabsAreKeptSoCaretsLineUp() {
        let out = TextDiagnosticRenderer().render(F.tabbed, lines: SourceExcerpt.lines(of: F.text))
        XCTAssertEqual(out, "Rules/demo.yaml:7:2: warning[unknown-key]: unknown key `cooldwon`\n"
                       + "\tcooldwon: 1h\n\t^^^^^^^^\n")
    }

    func testMultiLineRangeUnderlinesToEndOfFirstLine() {
        let d = Diagnostic(severity: .error, code: "wrong-type", message: "m", range: F.at(4, 5, 6, 3))
        let excerpt = SourceExcerpt(range: d.range, lines: SourceExcerpt.lines(of: F.text))
        XCTAssertEqual(excerpt?.line, "  - id: cold")
        XCTAssertEqual(excerpt?.carets, "    ^^^^^^^^")
    }

    func testEmptyRangeAndRangePastTheLineGetOneCaret() {
        let lines = SourceExcerpt.lines(of: "vigie: 1\n")
        XCTAssertEqual(SourceExcerpt(range: F.at(1, 1, 1, 1), lines: lines)?.carets, "^")
        XCTAssertEqual(SourceExcerpt(range: F.at(1, 11, 1, 11), lines: lines)?.carets, "          ^")
        XCTAssertNil(SourceExcerpt(range: F.at(3, 1, 3, 2), lines: lines))
    }

    func testCarriageReturnsAreDropped() {
        let lines = SourceExcerpt.lines(of: "vigie: 1\r\nbundle: x\r\n")
        XCTAssertEqual(SourceExcerpt(range: F.at(2, 9, 2, 10), lines: lines)?.line, "bundle: x")
    }

    func testUnknownSourceOmitsExcerptAndCapClosesWithCount() {
        var report = F.report([F.unknownField], omitted: 3)
        report.sources = [:]
        XCTAssertEqual(TextDiagnosticRenderer().render(report), """
            Rules/demo.yaml:5:42: error[unknown-field]: unknown field `battery.lvl`
            note: did you mean `battery.level`?
            3 more diagnostics not shown (raise --max-diagnostics to see them)
            1 file, 0 bundles, 0 rules: 1 error, 0 warnings

            """)
    }
}
