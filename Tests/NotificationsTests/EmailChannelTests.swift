import Foundation
import Notifications
import VigieTestSupport
import XCTest

/// The e-mail channel against a real SMTP server on loopback (aiosmtpd, started by the
/// test): STARTTLS and implicit TLS, AUTH PLAIN and LOGIN, the message parsed by Python's
/// email package, refusals and temporary failures.
final class EmailChannelTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder(prefix: "vigie-smtp") }
    override func tearDownWithError() throws { try folder?.remove() }

    func channel(_ server: SMTPTestServer, security: ChannelSettings.Email.Security, to: [String] = ["fleet@example.com", "ops@example.com"],
                 password: String = SMTPTestServer.password, auth: ChannelSettings.Email.AuthMechanism? = nil,
                 trust: Bool = true, timeout: Double = 10) throws -> any NotificationChannel {
        let settings = ChannelSettings.Email(host: "localhost", port: server.port, security: security,
                                             username: SMTPTestServer.user, password: ChannelSecret(password),
                                             from: "vigie@example.com", to: to,
                                             trustRootsPath: trust ? server.certificatePath : nil, auth: auth)
        return try NotificationSender.channel(for: ChannelConfiguration(name: "mail", settings: .email(settings), timeout: timeout))
    }

    static let message: NotificationMessage = {
        var message = TestMessages.tricky()
        message.title = "Batterie faible ⚡ Zoé — une très longue ligne d'objet pour obliger le découpage en plusieurs mots encodés"
        message.text = "Niveau 18 % < 20 %, branchée.\n.une ligne qui commence par un point\n.\n"
            + String(repeating: "é", count: 60) + " = fin"
        return message
    }()

    func testStartTLSWithAuthPlain() async throws {
        let server = try SMTPTestServer(mode: .starttls, folder: folder)
        defer { server.stop() }
        let result = try await channel(server, security: .startTLS).deliver(Self.message)
        XCTAssertEqual(result, .delivered(summary: "SMTP 250 2.0.0 Ok: queued as VIGIE1"))
        let record = try server.nextRecord()
        XCTAssertEqual(record["tls"] as? Bool, true)
        XCTAssertEqual(record["authenticated"] as? Bool, true)
        XCTAssertEqual(record["mechanism"] as? String, "PLAIN")
        XCTAssertEqual(record["mail_from"] as? String, "vigie@example.com")
        XCTAssertEqual(record["rcpt_tos"] as? [String], ["fleet@example.com", "ops@example.com"])
        try checkMessage(record)
    }

    func testImplicitTLSWithAuthLogin() async throws {
        let server = try SMTPTestServer(mode: .implicit, folder: folder)
        defer { server.stop() }
        let result = try await channel(server, security: .implicitTLS, auth: .login).deliver(Self.message)
        XCTAssertEqual(result, .delivered(summary: "SMTP 250 2.0.0 Ok: queued as VIGIE1"))
        let record = try server.nextRecord()
        XCTAssertEqual(record["tls"] as? Bool, true)
        XCTAssertEqual(record["mechanism"] as? String, "LOGIN")
        try checkMessage(record)
    }

    /// What Python's email package reads back: every header, the UTF-8 subject, the body.
    func checkMessage(_ record: [String: Any]) throws {
        XCTAssertEqual(record["subject"] as? String, Self.message.title)
        XCTAssertEqual(record["from"] as? String, "vigie@example.com")
        XCTAssertEqual(record["to"] as? String, "fleet@example.com, ops@example.com")
        XCTAssertEqual(record["message_id"] as? String, "<dlv-0001@example.com>")
        XCTAssertEqual(record["date_parsed"] as? String, "2026-12-07T02:00:00+00:00")
        XCTAssertEqual(record["mime_version"] as? String, "1.0")
        XCTAssertEqual(record["content_type"] as? String, "text/plain")
        XCTAssertEqual(record["charset"] as? String, "utf-8")
        XCTAssertEqual(record["transfer_encoding"] as? String, "quoted-printable")
        XCTAssertEqual(record["bare_lf"] as? Bool, false)
        XCTAssertLessThanOrEqual(try XCTUnwrap(record["longest_line"] as? Int), 78)
        XCTAssertEqual(record["defects"] as? [String], [])
        let body = try XCTUnwrap(record["body"] as? String).replacingOccurrences(of: "\r\n", with: "\n")
        XCTAssertTrue(body.hasPrefix(Self.message.text + "\n"), body)
        XCTAssertTrue(body.contains("VIN: VR3UHZKXZMT000001"), body)
        XCTAssertTrue(body.contains("Vehicle: Zoé's car"), body)
        let headers = try XCTUnwrap(record["raw_headers"] as? String)
        XCTAssertTrue(headers.contains("Subject: =?UTF-8?B?"), headers)
        XCTAssertFalse(headers.contains(SMTPTestServer.password))
    }

    func testWrongPasswordFailsWithoutShowingIt() async throws {
        let server = try SMTPTestServer(mode: .starttls, folder: folder)
        defer { server.stop() }
        let wrong = "wrong-Pa55word-hidden"
        let result = try await channel(server, security: .startTLS, password: wrong).deliver(Self.message)
        guard case .failed(let reason) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(reason.contains("535"), reason)
        XCTAssertFalse(reason.contains(wrong))
    }

    func testRefusedRecipientFailsAndTemporaryRefusalIsRetryable() async throws {
        let server = try SMTPTestServer(mode: .implicit, folder: folder)
        defer { server.stop() }
        let refused = try await channel(server, security: .implicitTLS, to: ["nobody@example.com"]).deliver(Self.message)
        XCTAssertEqual(refused, .failed(reason: "SMTP 550 after RCPT TO: 5.1.1 no such mailbox"))
        let later = try await channel(server, security: .implicitTLS, to: ["later@example.com"]).deliver(Self.message)
        XCTAssertEqual(later, .retryable(reason: "SMTP 451 after RCPT TO: 4.3.0 try again later", retryAfter: nil))
    }

    func testUntrustedCertificateFails() async throws {
        let server = try SMTPTestServer(mode: .implicit, folder: folder)
        defer { server.stop() }
        let result = try await channel(server, security: .implicitTLS, trust: false).deliver(Self.message)
        guard case .failed(let reason) = result else { return XCTFail("\(result)") }
        XCTAssertTrue(reason.hasPrefix("TLS with localhost"), reason)
    }

    func testPlainSMTPWithoutStartTLSIsRefused() async throws {
        // The implicit-TLS server does not speak plain SMTP at all: the STARTTLS client must not
        // deliver in clear; it fails or retries, never delivers.
        let server = try SMTPTestServer(mode: .implicit, folder: folder)
        defer { server.stop() }
        let result = try await channel(server, security: .startTLS, timeout: 2).deliver(Self.message)
        XCTAssertNotEqual(result.status, "delivered")
    }
}
