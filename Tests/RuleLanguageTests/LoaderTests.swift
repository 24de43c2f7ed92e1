import XCTest
@testable import RuleLanguage

/// YAML reading: core-schema scalars, strict keys with suggestions, limits.
final class LoaderTests: XCTestCase {
    func testCoreSchemaScalars() {
        XCTAssertEqual(ScalarValue.core("on"), .string("on"))
        XCTAssertEqual(ScalarValue.core("yes"), .string("yes"))
        XCTAssertEqual(ScalarValue.core("22:00"), .string("22:00"))
        XCTAssertEqual(ScalarValue.core("True"), .bool(true))
        XCTAssertEqual(ScalarValue.core("FALSE"), .bool(false))
        XCTAssertEqual(ScalarValue.core("~"), .null)
        XCTAssertEqual(ScalarValue.core("null"), .null)
        XCTAssertEqual(ScalarValue.core("0x1F"), .int(31))
        XCTAssertEqual(ScalarValue.core("-12"), .int(-12))
        XCTAssertEqual(ScalarValue.core("1.5e3"), .float(1500))
        XCTAssertEqual(ScalarValue.core("1_000"), .string("1_000"))
    }

    func testHornOnAndUnquotedTimesAreStrings() {
        let text = "vigie: 1\nbundle: t\nschedules:\n  night: {from: 22:00, to: \"06:00\"}\nrules:\n"
            + "  - id: r\n    when: moving\n    during: night\n    then:\n      - horn: on\n      - lights: on\n"
        let b = bundle(text)
        XCTAssertEqual(b?.rules.first?.actions, [.remote(.hornOn), .remote(.lightsOn)])
        XCTAssertEqual(b?.schedules, [Schedule(name: "night", fromMinute: 1320, toMinute: 360)])
    }

    func testQuotedTrueIsTextNotBoolean() {
        let text = ruleFile(when: "moving", then: "    then: [wake_up: \"true\"]\n")
        XCTAssertEqual(located(text), ["bad-action@6:21-6:27"])
    }

    func testUnknownKeySuggestsNearest() {
        let d = diagnose(ruleFile(when: "moving", extra: "    cooldwon: 1h\n"))
        XCTAssertEqual(d.map(\.code), ["unknown-key"])
        XCTAssertEqual(d[0].range.start, SourceLocation(line: 6, column: 5))
        XCTAssertEqual(d[0].range.end, SourceLocation(line: 6, column: 13))
        XCTAssertEqual(d[0].notes.first, "did you mean `cooldown`?")
    }

    func testDuplicateKeyIsReportedAndLoadingContinues() {
        let text = "vigie: 1\nbundle: t\nbundle: u\nrules:\n  - {id: r, when: movin, then: [notify: x]}\n"
        XCTAssertEqual(located(text), ["duplicate-key@3:1-3:7", "unknown-field@5:19-5:24"])
        XCTAssertEqual(diagnose(text)[0].notes, ["first given at line 2, column 1"])
    }

    func testMissingKeys() {
        XCTAssertEqual(located("vigie: 1\nrules:\n  - {id: r, when: moving, then: [notify: x]}\n"), ["missing-key@1:1-1:1"])
        XCTAssertEqual(located("vigie: 1\nbundle: t\nrules:\n  - id: r\n    then: [notify: x]\n"), ["missing-key@4:5-4:5"])
    }

    /// A bundle without rules deploys nothing: an error at the empty list; rules turned
    /// off with `enabled: false` are how a bundle keeps rules without running them.
    func testEmptyRulesListIsAnError() {
        XCTAssertEqual(located("vigie: 1\nbundle: t\nrules: []\n"), ["no-rules@3:8-3:10"])
        XCTAssertEqual(located("vigie: 1\nbundle: t\nrules:\n  []\n"), ["no-rules@4:3-4:5"])
        XCTAssertEqual(diagnose("vigie: 1\nbundle: t\nrules: []\n").first?.notes,
                       ["to turn a rule off, keep it and set `enabled: false`"])
        XCTAssertEqual(located("vigie: 1\nbundle: t\nrules:\n  - {id: r, when: moving, enabled: false, then: [notify: x]}\n"), [])
    }

    func testWrongTypeAndNonMappingFile() {
        XCTAssertEqual(located("- a\n- b\n"), ["wrong-type@1:1-2:4"])
        XCTAssertEqual(located(ruleFile(when: "moving", extra: "    max_per_day: [2]\n")), ["wrong-type@6:18-6:21"])
    }

    func testYamlSyntaxError() {
        XCTAssertEqual(located("vigie: 1\nbundle: [t\nrules: []\n").map { String($0.prefix(11)) }, ["yaml-syntax"])
    }

    func testMultipleDocumentsRefused() {
        XCTAssertEqual(located(ruleFile(when: "moving") + "---\nvigie: 1\n"), ["multiple-documents@7:1-7:4"])
    }

    func testExplicitTagsOtherThanStrAreUnsupported() {
        XCTAssertEqual(located(ruleFile(when: "moving", top: "description: !!int 3\n")), ["unsupported-yaml@3:14-3:21"])
        XCTAssertNotNil(bundle(ruleFile(when: "moving", top: "description: !!str 3\n")))
        let bang = diagnose(ruleFile(when: "!moving"))
        XCTAssertEqual(bang.map(\.code), ["unsupported-yaml"])
        XCTAssertEqual(bang.first?.notes, ["a leading `!` starts a YAML tag: write `not …` in conditions, or quote the text"])
    }

    func testFileTooLargeRefusedBeforeParsing() {
        let big = "vigie: 1\n" + String(repeating: "#", count: RuleLimits.maxFileBytes) + "\n["   // also malformed
        XCTAssertEqual(located(big), ["file-too-large@1:1-1:1"])
    }

    func testNestingTooDeep() {
        let deep = "vigie: 1\nx-deep: " + String(repeating: "[", count: 65) + String(repeating: "]", count: 65) + "\n"
        XCTAssertEqual(located(deep), ["nesting-too-deep@2:72-2:73"])
        let ok = "vigie: 1\nbundle: t\nx-deep: " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
            + "\nrules:\n  - {id: r, when: moving, then: [notify: x]}\n"
        XCTAssertEqual(located(ok), [])
    }

    func testTooManyRules() {
        let rules = (0...RuleLimits.maxRulesPerFile).map { "  - {id: r\($0), when: moving, then: [notify: x]}\n" }.joined()
        XCTAssertEqual(located("vigie: 1\nbundle: t\nrules:\n" + rules), ["too-many-rules@3:1-3:6"])
    }

    func testTooManyAliases() {
        let aliases = Array(repeating: "*a", count: 101).joined(separator: ", ")
        XCTAssertEqual(located("vigie: 1\nx-a: &a 1\nx-b: [\(aliases)]\n").map { String($0.prefix(16)) }, ["too-many-aliases"])
    }

    /// "Billion laughs": each level doubles nine times; 90 aliases would expand to 9^10
    /// nodes. The composer counts the nodes aliases bring in as events arrive and stops at
    /// the limit, so the refusal never walks an expanded tree.
    func testAliasBombIsRefusedByCountingExpansion() {
        var text = "vigie: 1\nbundle: t\nx-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            text += "x-l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        text += "rules: []\n"
        let d = diagnose(text)
        XCTAssertEqual(d.map(\.code), ["too-many-aliases"])
        XCTAssertTrue(d[0].message.contains("expand"), d[0].message)
        // Stopped at level 4 (9 * 10 + 9 * 91 + 9 * 820 > 10,000), long before the last levels.
        XCTAssertEqual(d[0].range.start.line, 7)
    }

    func testAliasesWithinLimitsWork() {
        let text = "vigie: 1\nbundle: t\nx-then: &then [notify: hi]\nrules:\n"
            + "  - {id: a, when: moving, then: *then}\n  - {id: b, when: not moving, then: *then}\n"
        XCTAssertEqual(bundle(text)?.rules.count, 2)
    }
}
