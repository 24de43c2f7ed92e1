import Foundation
import VigieRuntime
import XCTest

/// Issue 18: `log_format`, `retention` and `${NAME}` in `{file:}` secret paths (systemd's
/// `${CREDENTIALS_DIRECTORY}`), with their errors at line and column.
final class OpsConfigTests: XCTestCase {
    private var folder: ConfigFolder!

    override func setUpWithError() throws { folder = try ConfigFolder() }
    override func tearDown() { folder.remove() }

    /// The minimal configuration with both secrets read from files under `${CREDENTIALS_DIRECTORY}`.
    private let credentials = """
        api:
          client_id: my-client
          client_secret: {file: "${CREDENTIALS_DIRECTORY}/client_secret"}
          brand: peugeot
          token_store: tokens.json
        callback:
          public_url: https://vigie.example.com
          webhook_secret: {file: "${CREDENTIALS_DIRECTORY}/webhook_secret"}
        rules: [rules]

        """

    func testCredentialsDirectoryIsExpandedInFileSecrets() throws {
        try folder.write("creds/client_secret", ConfigFolder.clientSecret + "\n")
        try folder.write("creds/webhook_secret", ConfigFolder.webhookSecret)
        let config = try folder.load(credentials, environment: ["CREDENTIALS_DIRECTORY": folder.path("creds")])
        XCTAssertEqual(config.api.clientSecret?.reveal(), ConfigFolder.clientSecret)
        XCTAssertEqual(config.callback.webhookSecret.reveal(), ConfigFolder.webhookSecret)
        XCTAssertEqual(config.callback.webhookSecret.source, .file(folder.path("creds/webhook_secret")))
    }

    func testUnsetCredentialsDirectoryIsAnErrorAtTheKey() throws {
        let error = try folder.refuse(credentials, environment: [:])
        XCTAssertEqual(error.issues.count, 2, "\(error)")
        XCTAssertEqual(error.line, 3)
        XCTAssertEqual(error.column, 25)
        XCTAssertTrue(error.message.contains("CREDENTIALS_DIRECTORY is not set"), error.message)
        XCTAssertTrue(error.message.contains("LoadCredential="), error.message)
    }

    func testBadVariableSyntaxIsReported() throws {
        let text = ConfigFolder.minimal.replacingOccurrences(of: "{env: VIGIE_CLIENT_SECRET}", with: "{file: \"${OOPS/secret\"}")
        let unclosed = try folder.refuse(text)
        XCTAssertTrue(unclosed.message.contains("without its closing"), unclosed.message)
        let bad = ConfigFolder.minimal.replacingOccurrences(of: "{env: VIGIE_CLIENT_SECRET}", with: "{file: \"${A-B}/secret\"}")
        let name = try folder.refuse(bad)
        XCTAssertTrue(name.message.contains("not an environment variable name"), name.message)
        // A literal `$` without a brace stays as it is.
        try folder.write("a$b", ConfigFolder.clientSecret)
        let dollar = ConfigFolder.minimal.replacingOccurrences(of: "{env: VIGIE_CLIENT_SECRET}", with: "{file: \"a$b\"}")
        XCTAssertEqual(try folder.load(dollar).api.clientSecret?.reveal(), ConfigFolder.clientSecret)
    }

    func testLogFormat() throws {
        XCTAssertEqual(try folder.load(ConfigFolder.minimal).logFormat, "text")
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + "log_format: JSON\n").logFormat, "json")
        XCTAssertEqual(try folder.load(ConfigFolder.minimal + "log_format: logfmt\n").logFormat, "logfmt")
        let error = try folder.refuse(ConfigFolder.minimal + "log_format: xml\n")
        XCTAssertEqual(error.line, 10)
        XCTAssertEqual(error.column, 13)
        XCTAssertTrue(error.message.contains("log_format must be one of text, json, logfmt"), error.message)
    }

    func testRetention() throws {
        let defaults = try folder.load(ConfigFolder.minimal).retention
        XCTAssertFalse(defaults.isEnabled)
        XCTAssertEqual(defaults.interval, 3600)
        let set = try folder.load(ConfigFolder.minimal + "retention: {inbox: 14d, decisions: 180d, interval: 10m}\n").retention
        XCTAssertEqual(set, Retention(inbox: 14 * 86_400, decisions: 180 * 86_400, attempts: nil, interval: 600))
        XCTAssertTrue(set.isEnabled)
        let short = try folder.refuse(ConfigFolder.minimal + "retention:\n  inbox: 1d\n  attempts: 30s\n  interval: 5s\n")
        XCTAssertEqual(short.issues.map(\.line), [11, 12, 13], "\(short)")
        XCTAssertTrue(short.issues[0].message.contains("retention.inbox must be at least 2d"), "\(short)")
        XCTAssertTrue(short.issues[2].message.contains("retention.interval must be at least 1m"), "\(short)")
        let unknown = try folder.refuse(ConfigFolder.minimal + "retention: {decision: 30d}\n")
        XCTAssertTrue(unknown.message.contains("did you mean `decisions`?"), unknown.message)
    }
}
