import Foundation
import VigieTestSupport
import XCTest
@testable import VigieKit

/// `vigie compile --format text` never prints a secret of the B2B callback URL (the
/// receiver secret in `…/webhook/<secret>`, a password, a token in the query); `--format
/// json` is the artefact and prints each body exactly as POSTed (DESIGN.md).
final class CompileSecretTests: XCTestCase {
    let rules = "Tests/Fixtures/compile/cli/charging.yaml"
    let secrets = ["S3cret-0123456789abcdef", "pa55word", "t0ken-xyz"]
    var url: String { "https://ops:\(secrets[1])@vigie.example.com/base/webhook/\(secrets[0])?token=\(secrets[2])&v=2" }

    func testTextViewShowsNoSecret() throws {
        for api in ["b2b", "b2c"] {
            let r = try CommandRunner.vigie(["compile", rules, "--api", api, "--fleet", "F42", "--callback-url", url,
                                             "--format", "text"])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            for secret in secrets {
                XCTAssertFalse(r.stdout.contains(secret) || r.stderr.contains(secret), "\(api): \(secret)")
            }
        }
    }

    func testJSONIsTheBodyAsPosted() throws {
        let json = try CommandRunner.vigie(["compile", rules, "--api", "b2b", "--callback-url", url])
        XCTAssertEqual(json.exitCode, 0, json.stderr)
        for secret in secrets { XCTAssertFalse(json.stderr.contains(secret), secret) }
        let monitors = try OpenAPIValue.parsing(json: json.stdout)["monitors"]?.arrayValue ?? []
        XCTAssertFalse(monitors.isEmpty)
        for m in monitors {
            XCTAssertEqual(m["monitor"]?["subscribeParam"]?["callback"]?["webhook"]?["target"]?.stringValue, url)
        }
        // The labels hash the body as it will be POSTed.
        let plain = try CommandRunner.vigie(["compile", rules, "--api", "b2b",
                                             "--callback-url", "https://vigie.example.com/base/webhook/other"])
        let plainLabels = try OpenAPIValue.parsing(json: plain.stdout)["monitors"]?.arrayValue?.map { $0["monitor"]?["label"] }
        XCTAssertNotEqual(monitors.map { $0["monitor"]?["label"] }, plainLabels)
    }

    func testURLsWithoutSecretsAreKept() {
        for url in ["https://vigie.example/webhook", "https://vigie.example/webhook/", "http://127.0.0.1:8080/hooks/a?v=1#x",
                    "https://user@host/webhook", "not a url"] {
            XCTAssertEqual(CompileRedaction.redact(url: url), url)
        }
        XCTAssertEqual(CompileRedaction.redact(url: "https://h/Webhook/abc/def?apiKey=1&x=2#frag"),
                       "https://h/Webhook/<redacted>/def?apiKey=<redacted>&x=2#frag")
        XCTAssertEqual(CompileRedaction.redact(url: "https://u:p@h"), "https://u:<redacted>@h")
    }
}
