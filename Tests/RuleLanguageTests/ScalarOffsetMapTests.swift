import XCTest
@testable import RuleLanguage

/// The map from a scalar's value back to the file is rebuilt exactly (no fallback) for
/// the forms rule files use, and points every value character at its source.
final class ScalarOffsetMapTests: XCTestCase {
    /// Maps the `when:` value of `yaml` and returns (value, source text of each value char).
    func mapped(_ yaml: String) -> (String, [String])? {
        let source = SourceText(path: "t", text: yaml)
        var composer = YAMLComposer(text: yaml, source: source)
        guard let root = composer.compose(), case .mapping(let pairs) = root.kind,
              let node = pairs.first(where: { $0.key.scalar == "when" })?.value, let value = node.scalar else { return nil }
        let map = ScalarOffsetMap(node: node, value: value, source: source)
        guard !map.starts.isEmpty || value.isEmpty else { return nil }
        let chars = zip(map.starts, map.ends).map { String(String.UnicodeScalarView(source.scalars[$0..<$1])) }
        return (value, chars)
    }

    func testStylesRebuildExactly() {
        let cases = [
            "when: a <  b\n",
            "when: a\n  b\n\n  c\n",
            "when: 'it''s\n   folded'\n",
            "when: \"tab\\tx\\u00e9\\\n   joined\"\n",
            "when: |\n  one\n   two\n\n  three\n\n",
            "when: |-\n  one\n  two\n",
            "when: |+\n  one\n\n",
            "when: >\n  one\n  two\n\n  three\n    indented\n  four\n",
            "when: >-\n  a\n  b\n",
            "when: |2\n    x\n   y\n",
        ]
        for yaml in cases {
            XCTAssertNotNil(mapped(yaml), yaml)
        }
    }

    func testEscapesPointAtTheirWholeSequence() {
        guard let (value, chars) = mapped("when: \"x\\u00e9\\ty\"\n") else { return XCTFail("no map") }
        XCTAssertEqual(value, "xé\ty")
        XCTAssertEqual(chars, ["x", "\\u00e9", "\\t", "y"])
    }

    func testFoldedBreakMapsToTheLineBreak() {
        guard let (value, chars) = mapped("when: >\n  a\n  b\n") else { return XCTFail("no map") }
        XCTAssertEqual(value, "a b\n")
        XCTAssertEqual(chars, ["a", "\n", "b", "\n"])
    }
}
