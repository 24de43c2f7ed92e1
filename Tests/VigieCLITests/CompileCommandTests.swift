import Foundation
import VigieTestSupport
import XCTest

/// `vigie compile` end to end: goldens of both formats, every printed monitor valid
/// against the official schema, vehicle targets, exit codes.
final class CompileCommandTests: XCTestCase {
    let dir = "Tests/Fixtures/compile/cli/"

    func compile(_ args: [String]) throws -> CommandResult {
        try CommandRunner.vigie(["compile"] + args)
    }

    func golden(_ actual: String, _ name: String) throws {
        let url = SharedFiles.repoFile("Tests/Fixtures/compile/cli/" + name)
        if ProcessInfo.processInfo.environment["VIGIE_UPDATE_GOLDENS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(actual, try String(contentsOf: url, encoding: .utf8), "golden \(name) (VIGIE_UPDATE_GOLDENS=1)")
    }

    /// Checks the DESIGN.md shape and validates every monitor against `schemaFile`.
    func assertValidOutput(_ stdout: String, schemaFile: String) throws {
        let json = try OpenAPIValue.parsing(json: stdout)
        XCTAssertEqual(json.objectValue.map { Set($0.keys) }, ["monitors", "rules"])
        let validator = JSONSchemaValidator(document: try OpenAPIDocument.official(schemaFile))
        for m in json["monitors"]?.arrayValue ?? [] {
            XCTAssertEqual(m.objectValue.map { Set($0.keys) }, ["vin", "fleet", "rules", "monitor"])
            XCTAssertEqual(try validator.validate(m["monitor"]!, schemaNamed: "MonitorParameter").map(\.description), [])
            let triggers = m["monitor"]?["triggerParam"]?["triggers"]?.arrayValue ?? []
            XCTAssertTrue((1...5).contains(triggers.count))
        }
        for r in json["rules"]?.arrayValue ?? [] {
            XCTAssertEqual(r.objectValue.map { Set($0.keys) }, ["bundle", "rule", "runs", "reason", "pollEvery"])
            XCTAssertTrue(["server", "prefilter", "polling"].contains(r["runs"]?.stringValue ?? ""))
        }
    }

    func testJSONAndTextWithoutInventory() throws {
        let files = [dir + "charging.yaml", dir + "selected.yaml"]
        let json = try compile(files)
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        XCTAssertEqual(json.stderr, "warning: bundle selected: tag selectors match no vehicle without --inventory\n")
        try assertValidOutput(json.stdout, schemaFile: "api-b2c.yaml")
        try golden(json.stdout, "default.json")
        let text = try compile(files + ["--format", "text"])
        XCTAssertEqual(text.exitCode, 0)
        try golden(text.stdout, "default.txt")
    }

    func testInventoryAndVinTargets() throws {
        let files = [dir + "charging.yaml", dir + "selected.yaml"]
        let inv = try compile(files + ["--inventory", dir + "inventory.yaml", "--format", "text"])
        XCTAssertEqual(inv.exitCode, 0, inv.stderr)
        XCTAssertEqual(inv.stderr, "")
        try golden(inv.stdout, "inventory.txt")
        let one = try compile(files + ["--vin", "VIN0000000000009"])
        XCTAssertEqual(one.exitCode, 0)
        let json = try OpenAPIValue.parsing(json: one.stdout)
        let vins = Set((json["monitors"]?.arrayValue ?? []).compactMap { $0["vin"]?.stringValue })
        XCTAssertEqual(vins, ["VIN0000000000009"], "only the vehicle asked for")
    }

    func testB2BFleetMonitors() throws {
        let r = try compile([dir + "charging.yaml", "--api", "b2b", "--fleet", "F42"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        try assertValidOutput(r.stdout, schemaFile: "api-b2b.yaml")
        let json = try OpenAPIValue.parsing(json: r.stdout)
        XCTAssertEqual(json["monitors"]?.arrayValue?.first?["fleet"], .string("F42"))
        try golden(r.stdout, "b2b.json")
    }

    func testErrorsAndUsage() throws {
        let broken = try compile([dir + "broken.yaml"])
        XCTAssertEqual(broken.exitCode, 1)
        XCTAssertEqual(broken.stdout, "")
        XCTAssertTrue(broken.stderr.contains("broken.yaml:5:11: error[unknown-field]"), broken.stderr)
        XCTAssertEqual(try compile([]).exitCode, 64)
        XCTAssertEqual(try compile([dir + "charging.yaml", "--api", "b2x"]).exitCode, 64)
        XCTAssertEqual(try compile([dir + "charging.yaml", "--format", "yaml"]).exitCode, 64)
        XCTAssertEqual(try compile([dir + "nope.yaml"]).exitCode, 64)
        XCTAssertEqual(try compile([dir + "charging.yaml", "--inventory", dir + "missing.yaml"]).exitCode, 64)
        let badInventory = try compile([dir + "charging.yaml", "--inventory", dir + "broken.yaml"])
        XCTAssertEqual(badInventory.exitCode, 1)
        XCTAssertTrue(badInventory.stderr.hasPrefix("error: inventory"), badInventory.stderr)
    }
}
