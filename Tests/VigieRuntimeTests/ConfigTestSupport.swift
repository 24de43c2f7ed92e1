import Foundation
import VigieRuntime
import XCTest

/// A temporary folder holding a `vigie.yaml` and the files it names.
struct ConfigFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("vigie-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).standardizedFileURL.path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Loads `text` as `vigie.yaml` in this folder.
    func load(_ text: String, environment: [String: String] = ConfigFolder.environment) throws -> VigieConfig {
        try VigieConfig.load(path: try write("vigie.yaml", text), environment: environment)
    }

    /// Loads `text`, expecting it to be refused; returns the error.
    func refuse(_ text: String, environment: [String: String] = ConfigFolder.environment,
                file: StaticString = #filePath, line: UInt = #line) throws -> ConfigError {
        do {
            _ = try load(text, environment: environment)
            XCTFail("the configuration was accepted", file: file, line: line)
            return ConfigError(issues: [])
        } catch let error as ConfigError {
            return error
        }
    }

    static let clientSecret = "s3cr3t-client-value-42"
    static let webhookSecret = "hook-Secret_0123456789abcdef"
    static let environment = ["VIGIE_CLIENT_SECRET": clientSecret, "VIGIE_WEBHOOK_SECRET": webhookSecret]

    /// A small valid B2C configuration (secrets from the environment).
    static let minimal = """
        api:
          client_id: my-client
          client_secret: {env: VIGIE_CLIENT_SECRET}
          brand: peugeot
          token_store: tokens.json
        callback:
          public_url: https://vigie.example.com
          webhook_secret: {env: VIGIE_WEBHOOK_SECRET}
        rules: [rules]

        """
}
