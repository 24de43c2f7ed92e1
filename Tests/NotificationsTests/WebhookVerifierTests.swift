import Foundation
import Notifications
import VigieTestSupport
import XCTest

/// The Python verifier printed in docs/notifications.md, run with python3 against what
/// the webhook channel really sent: it accepts the delivery, and refuses a changed body,
/// another secret and an old timestamp.
final class WebhookVerifierTests: XCTestCase {
    static func verifierSource() throws -> String {
        let doc = try String(contentsOf: SharedFiles.repositoryRoot.appendingPathComponent("docs/notifications.md"), encoding: .utf8)
        guard let start = doc.range(of: "<!-- verifier:start -->\n```python\n"),
              let end = doc.range(of: "```\n<!-- verifier:end -->") else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "no verifier block in docs/notifications.md"])
        }
        return String(doc[start.upperBound ..< end.lowerBound])
    }

    func testDocumentedVerifierAcceptsVigiesSignature() async throws {
        let source = try Self.verifierSource()
        XCTAssertLessThanOrEqual(source.split(separator: "\n").count, 12, "the documented verifier stays about 10 lines")
        let folder = try TemporaryFolder(prefix: "vigie-verifier")
        defer { folder.remove() }
        for secret in ["whsec_" + Data("0123456789abcdef0123456789abcdef".utf8).base64EncodedString(), "a-plain-secret-text"] {
            try await withProviderFake() { base, log in
                let settings = ChannelSettings.webhook(.init(url: base, secret: ChannelSecret(secret)))
                _ = try await NotificationSender.channel(for: ChannelConfiguration(name: "ops", settings: settings)).deliver(TestMessages.tricky())
                let request = try await log.firstRequest()
                let headers = ["webhook-id", "webhook-timestamp", "webhook-signature"].reduce(into: [String: String]()) {
                    $0[$1] = request.headers[$1]
                }
                try folder.write("headers.json", String(decoding: try JSONSerialization.data(withJSONObject: headers), as: UTF8.self))
                try folder.write("body", bytes: Data(request.body))
                let harness = source + """

                    import json, sys
                    secret = sys.argv[1]
                    headers = json.load(open("headers.json"))
                    body = open("body", "rb").read()
                    old = dict(headers, **{"webhook-timestamp": str(int(headers["webhook-timestamp"]) - 3600)})
                    print(verify(secret, headers, body), verify(secret, headers, body + b" "),
                          verify(secret + "x" if not secret.startswith("whsec_") else "whsec_" + "QUFBQQ==", headers, body),
                          verify(secret, old, body))
                    """
                try folder.write("verify.py", harness)
                let run = try CommandRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "verify.py", secret], in: folder.url)
                XCTAssertEqual(run.exitCode, 0, "python3 is needed (.ci/run): \(run.stderr)")
                XCTAssertEqual(run.stdout, "True False False False\n", run.stderr)
            }
        }
    }
}
