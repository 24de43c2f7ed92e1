import XCTest
@testable import RuleLanguage

/// Positions inside `when:` strings map back to the file for every scalar style.
final class ExpressionPositionTests: XCTestCase {
    func testPlainScalar() {
        // line 5: "    when: battery.levl < 20"
        XCTAssertEqual(located(ruleFile(when: "battery.levl < 20")), ["unknown-field@5:11-5:23"])
    }

    func testSingleQuotedScalarWithEscapedQuote() {
        // 'it''s' occupies 7 columns in the file but 4 in the value.
        let text = ruleFile(when: "'charging.status == ''x'' or battery.levl < 20'")
        XCTAssertEqual(located(text), ["unknown-member@5:31-5:36", "unknown-field@5:40-5:52"])
    }

    func testDoubleQuotedScalarWithEscapes() {
        // \u00e9 is 6 file columns for 1 value scalar; \t is 2 for 1.
        let text = ruleFile(when: "\"charging.status == '\\u00e9' and\\tbattery.levl < 20\"")
        XCTAssertEqual(located(text), ["unknown-member@5:31-5:39", "unknown-field@5:45-5:57"])
    }

    func testLiteralBlockScalar() {
        let text = ruleFile(when: "|\n      battery.level < 20 and\n      fuel.levle < 10")
        XCTAssertEqual(located(text), ["unknown-field@7:7-7:17"])
    }

    func testFoldedBlockScalar() {
        let text = ruleFile(when: ">\n      battery.level < 20\n      and fuel.levle < 10")
        XCTAssertEqual(located(text), ["unknown-field@7:11-7:21"])
    }

    func testMultiLinePlainScalar() {
        let text = ruleFile(when: "battery.level < 20\n      and fuel.levle < 10")
        XCTAssertEqual(located(text), ["unknown-field@6:11-6:21"])
    }

    func testMultiLineDoubleQuotedScalar() {
        let text = ruleFile(when: "\"battery.level < 20 and\n      fuel.levle < 10\"")
        XCTAssertEqual(located(text), ["unknown-field@6:7-6:17"])
    }

    func testColumnsCountUnicodeScalars() {
        // `"é"` takes 3 columns (Unicode scalars) though it is 4 UTF-8 bytes.
        let text = "vigie: 1\nbundle: t\nrules:\n  - {id: r, when: 'ignition == \"é\" or battery.levl < 1', then: [notify: x]}\n"
        XCTAssertEqual(located(text), ["unknown-member@4:32-4:35", "unknown-field@4:39-4:51"])
    }

    func testSyntaxErrorPosition() {
        XCTAssertEqual(located(ruleFile(when: "battery.level < and moving")), ["expression-syntax@5:27-5:30"])
        XCTAssertEqual(located(ruleFile(when: "(battery.level < 20")), ["expression-syntax@5:30-5:30"])
    }

    func testTemplatePositionInDoubleQuotes() {
        let text = ruleFile(when: "moving", then: "    then:\n      - notify: \"\\u00e9 {{car}} at {{battery.level}}\"\n")
        XCTAssertEqual(located(text), ["unknown-template-name@7:25-7:32"])
    }

    func testCRLFLineEndingsAndByteOrderMark() {
        let crlf = ruleFile(when: "battery.levl < 20").replacingOccurrences(of: "\n", with: "\r\n")
        XCTAssertEqual(located(crlf), ["unknown-field@5:11-5:23"])
        XCTAssertEqual(located("\u{FEFF}" + ruleFile(when: "battery.levl < 20")), ["unknown-field@5:11-5:23"])
        XCTAssertEqual(located("\u{FEFF}vigie: 2\nbundle: t\nrules:\n  - {id: r, when: moving, then: [notify: x]}\n"), ["unsupported-version@1:8-1:9"])
    }
}
