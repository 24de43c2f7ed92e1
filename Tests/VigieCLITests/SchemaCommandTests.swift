import Foundation
import VehicleData
import VigieKit
import VigieTestSupport
import XCTest

/// `vigie schema`: the committed schema is the command's output, every bundle in
/// Rules/ (and every good example) satisfies it, it rejects wrong shapes, and the
/// tables docs/rule-language.md embeds are the generated ones.
final class SchemaCommandTests: XCTestCase {
    private func schemaValidator() throws -> (JSONSchemaValidator, OpenAPIValue) {
        let document = try OpenAPIDocument(contentsOf: SharedFiles.repoFile(SchemaGenerator.committedPath))
        return (JSONSchemaValidator(document: document), document.root)
    }

    private func violations(_ yaml: String) throws -> [JSONSchemaViolation] {
        let (validator, schema) = try schemaValidator()
        return validator.validate(Self.droppingExtensionKeys(try OpenAPIDocument(yaml: yaml).root), against: schema)
    }

    /// The schema lets `x-` keys through with `patternProperties`, which the test
    /// validator's subset does not implement: drop them before validating.
    static func droppingExtensionKeys(_ value: OpenAPIValue) -> OpenAPIValue {
        switch value {
        case .array(let items): return .array(items.map(droppingExtensionKeys))
        case .object(let object):
            return .object(object.filter { !$0.key.hasPrefix("x-") }.mapValues(droppingExtensionKeys))
        default: return value
        }
    }

    func testCommittedSchemaIsTheCommandOutput() throws {
        let r = try CommandRunner.vigie(["schema"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, SchemaGenerator.text())
        try ValidateGoldens.check(r.stdout, against: SchemaGenerator.committedPath)
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(root["$schema"] as? String, "http://json-schema.org/draft-07/schema#")
    }

    func testEveryBundleInRulesSatisfiesTheSchema() throws {
        let folder = SharedFiles.repoFile("Rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("# yaml-language-server: $schema=../schema/vigie-rules.schema.json\n"), name)
            XCTAssertEqual(try violations(text).map(\.description), [], name)
        }
    }

    func testGoodExamplesSatisfyTheSchema() throws {
        let folder = SharedFiles.repoFile("examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".good.yaml") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertEqual(try violations(text).map(\.description), [], name)
        }
    }

    func testSchemaRejectsWrongShapes() throws {
        let head = "vigie: 1\nbundle: demo\nrules:\n  - id: r\n    when: battery.level < 20\n"
        let cases: [(String, String)] = [
            (head + "    then: [doors: open]\n", "$.rules[0].then[0]"),
            (head + "    then: [notify: hi]\n    cooldwon: 1h\n", "$.rules[0].cooldwon"),
            (head + "    then: [notify: hi]\n    for: 5 minutes\n", "$.rules[0].for"),
            (head + "    then: [horn: off]\n", "$.rules[0].then[0]"),
            ("vigie: 2\nbundle: demo\nrules: []\n", "$.vigie"),
            ("vigie: 1\nbundle: Demo Bundle\nrules: []\n", "$.bundle"),
            ("vigie: 1\nbundle: demo\n", "$"),
            ("vigie: 1\nbundle: demo\nzones: {depot: {center: {lat: 95, lon: 2}, radius: 2 km}}\nrules: []\n",
             "$.zones.depot.center.lat"),
            ("vigie: 1\nbundle: demo\nrules: []\n", "$.rules"),   // no-rules, as validate says
        ]
        for (yaml, path) in cases {
            let found = try violations(yaml)
            XCTAssertTrue(found.contains { $0.path == path }, "expected a violation at \(path) for:\n\(yaml)\ngot \(found)")
        }
        XCTAssertEqual(try violations(head + "    then: [horn: on, wake_up: true, charge: {at: \"23:30\"}]\n"), [])
        // Never stricter than the checker: spellings `vigie validate` accepts pass.
        let lenient = "vigie: 1\nbundle: demo\nschedules:\n  s: {days: [mon, TUE, Wed], from: \"7:30\", to: \"24:00\"}\n"
            + "zones:\n  z: {center: {lat: 1, lon: 2}, radius: 500m}\n"
            + head.dropFirst("vigie: 1\nbundle: demo\n".count)
            + "    then: [notify: hi]\n    during: s\n    for: 1h30m\n    cooldown: 2 h\n    x-note: kept out\n"
        XCTAssertEqual(try violations(lenient), [])
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SchemaGenerator.text().utf8)) as? [String: Any])
        XCTAssertNotNil((root["patternProperties"] as? [String: Any])?["^x-"], "x- keys are let through")
    }

    func testSchemaListsEveryCatalogField() throws {
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(SchemaGenerator.text().utf8)) as? [String: Any])
        let field = (root["definitions"] as? [String: Any])?["field"] as? [String: Any]
        XCTAssertEqual(field?["enum"] as? [String], Catalog.fields.map(\.alias))
    }

    func testRuleLanguageDocTablesAreGenerated() throws {
        try ValidateGoldens.checkSection(SchemaReference.fieldsTable(), named: "fields", in: "docs/rule-language.md")
        try ValidateGoldens.checkSection(SchemaReference.diagnosticsTable(), named: "diagnostics", in: "docs/rule-language.md")
        let fields = try CommandRunner.vigie(["schema", "--fields"])
        XCTAssertEqual(fields.stdout, SchemaReference.fieldsTable())
        let codes = try CommandRunner.vigie(["schema", "--diagnostics"])
        XCTAssertEqual(codes.stdout, SchemaReference.diagnosticsTable())
        XCTAssertEqual(try CommandRunner.vigie(["schema", "--fields", "--diagnostics"]).exitCode, 64)
    }
}
