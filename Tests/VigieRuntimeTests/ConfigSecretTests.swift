import Foundation
import VigieRuntime
import XCTest

/// Secrets come only from `{file: PATH}` or `{env: NAME}` and never show their value.
final class ConfigSecretTests: XCTestCase {
    var folder: ConfigFolder!

    override func setUpWithError() throws { folder = try ConfigFolder() }
    override func tearDown() { folder.remove() }

    func testInlineSecretIsRefusedWithoutEchoingIt() throws {
        let text = ConfigFolder.minimal.replacingOccurrences(of: "{env: VIGIE_CLIENT_SECRET}", with: "hunter2-inline-secret")
        let error = try folder.refuse(text)
        XCTAssertEqual(error.issues.count, 1)
        XCTAssertEqual([error.line, error.column], [3, 18])
        XCTAssertTrue(error.message.contains("must not be written inline"), error.message)
        XCTAssertFalse(error.description.contains("hunter2"))
    }

    func testMissingEnvironmentVariableAndEmptyFile() throws {
        let error = try folder.refuse(ConfigFolder.minimal, environment: [:])
        XCTAssertEqual(error.issues.map(\.line), [3, 8])
        XCTAssertTrue(error.issues[0].message.contains("VIGIE_CLIENT_SECRET is not set"))
        try folder.write("empty", "\n")
        let empty = try folder.refuse(ConfigFolder.minimal.replacingOccurrences(
            of: "{env: VIGIE_CLIENT_SECRET}", with: "{file: empty}"))
        XCTAssertTrue(empty.message.contains("is empty"), empty.description)
        let both = try folder.refuse(ConfigFolder.minimal.replacingOccurrences(
            of: "{env: VIGIE_CLIENT_SECRET}", with: "{env: A, file: b}"))
        XCTAssertTrue(both.message.contains("exactly one of"), both.description)
    }

    func testWeakWebhookSecretIsRefusedWithoutEchoingIt() throws {
        let error = try folder.refuse(ConfigFolder.minimal, environment: [
            "VIGIE_CLIENT_SECRET": "x", "VIGIE_WEBHOOK_SECRET": "short/secret",
        ])
        XCTAssertTrue(error.message.contains("at least 16 characters"), error.description)
        XCTAssertTrue(error.message.contains("environment variable VIGIE_WEBHOOK_SECRET"), error.description)
        XCTAssertFalse(error.description.contains("short/secret"))
    }

    func testSecretsNeverPrint() throws {
        let config = try folder.load(ConfigFolder.minimal)
        let secrets = [ConfigFolder.clientSecret, ConfigFolder.webhookSecret]
        var dumped = ""
        dump(config, to: &dumped)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(["client": config.api.clientSecret!, "hook": config.callback.webhookSecret]),
                          as: UTF8.self)
        let renderings = [String(describing: config), String(reflecting: config), dumped, json,
                          "\(config.api)", "\(config.callback)", "\(config.api.clientSecret!)",
                          String(reflecting: config.callback.webhookSecret)]
        for text in renderings {
            for secret in secrets { XCTAssertFalse(text.contains(secret), "leaked in: \(text.prefix(200))") }
        }
        XCTAssertEqual("\(config.callback.webhookSecret)", "<redacted>")
        XCTAssertEqual(json, #"{"client":"<redacted>","hook":"<redacted>"}"#)
        XCTAssertTrue(dumped.contains("environment variable VIGIE_CLIENT_SECRET"), dumped)
    }
}
