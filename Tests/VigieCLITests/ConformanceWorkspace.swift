import Foundation
import VigieTestSupport
import XCTest

/// A scratch folder for the conformance tests: they write rule, event and test files
/// byte for byte (BOMs, CRLF, tabs included) and run the built `vigie` on them.
struct ConformanceWorkspace {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Data(text.utf8))
    }

    func write(_ name: String, bytes: Data) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: url)
    }

    func vigie(_ args: [String]) throws -> CommandResult {
        try CommandRunner.vigie(args, in: dir)
    }

    /// `vigie dry-run rules --events events --format json` (plus `extra`), asserting exit 0.
    func decisions(rules: String, events: String, _ extra: [String] = [],
                   file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        try write("rules.yaml", rules)
        try write("events.jsonl", events)
        let r = try vigie(["dry-run", "rules.yaml", "--events", "events.jsonl", "--format", "json"] + extra)
        XCTAssertEqual(r.exitCode, 0, r.stderr, file: file, line: line)
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// One `set` replay line.
    static func set(_ at: String, _ vin: String = "V1", _ fields: String) -> String {
        #"{"at": "\#(at)", "vin": "\#(vin)", "set": {\#(fields)}}"#
    }

    /// The exact JSON Lines decision DESIGN.md describes (sorted keys).
    static func fired(_ at: String, _ vin: String = "V1", bundle: String, rule: String, actions: [String]) -> String {
        #"{"actions": [\#(actions.joined(separator: ", "))], "at": "\#(at)", "bundle": "\#(bundle)", "event": "fired", "reason": null, "rule": "\#(rule)", "vin": "\#(vin)"}"#
    }

    static func suppressed(_ at: String, _ vin: String = "V1", bundle: String, rule: String, reason: String) -> String {
        #"{"actions": [], "at": "\#(at)", "bundle": "\#(bundle)", "event": "suppressed", "reason": "\#(reason)", "rule": "\#(rule)", "vin": "\#(vin)"}"#
    }

    static func notify(_ text: String) -> String { #"{"notify": "\#(text)"}"# }
    static func remote(_ body: String) -> String { #"{"remote": \#(body)}"# }
}

extension ConformanceWorkspace {
    /// One `status` replay line.
    static func status(_ at: String, _ vin: String = "V1", _ payload: String) -> String {
        #"{"at": "\#(at)", "vin": "\#(vin)", "status": \#(payload)}"#
    }
}
