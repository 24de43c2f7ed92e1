import Foundation
import Notifications
import VigieRuntime
import VigieTestSupport
import XCTest

/// `notifications:` in vigie.yaml: every channel kind read, secrets from env/file only,
/// mistakes at file:line:column.
final class NotificationsConfigTests: XCTestCase {
    static let head = """
        api: {kind: b2b, client_id: c, client_secret: {env: S}, fleet_id: f1}
        callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: W}}
        rules: [rules]

        """
    static let environment = ["S": "client-secret-value", "W": "webhook-secret-0123456789",
                              "NTFY_TOKEN": "tk_ntfytoken", "TG": "123:telegram-token", "PO_T": "pushover-app-token",
                              "PO_U": "pushover-user-key", "GOTIFY": "gotify-app-token", "SLACK": "https://hooks.slack.com/services/T/B/x",
                              "HA": "ha-long-lived-token", "SMTP_PASSWORD": "smtp-password-value"]

    func parse(_ yaml: String, folder: URL = FileManager.default.temporaryDirectory) throws -> VigieConfig {
        try VigieConfig.parse(yaml: Self.head + yaml, file: "vigie.yaml", folder: folder, environment: Self.environment)
    }

    func issues(_ yaml: String) -> [String] {
        do {
            _ = try parse(yaml)
            return []
        } catch let error as ConfigError {
            return error.issues.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    func testEveryChannelKind() throws {
        let folder = try TemporaryFolder(prefix: "vigie-notify-config")
        defer { folder.remove() }
        try folder.write("secrets/hook", "whsec_" + Data("0123456789abcdef0123456789abcdef".utf8).base64EncodedString() + "\n")
        let config = try parse("""
            notifications:
              default: [phone]
              alerts: [ops, mail]
              channels:
                phone: {ntfy: {url: "https://ntfy.example.com", topic: vigie-alerts, token: {env: NTFY_TOKEN}, tags: [car]}, max_age: 2h}
                ops: {webhook: {url: "https://hooks.example.com/vigie", secret: {file: secrets/hook}}, timeout: 5s}
                chat: {telegram: {token: {env: TG}, chat_id: "-100123"}, rate_limit: {count: 20, per: 1m}}
                push: {pushover: {token: {env: PO_T}, user: {env: PO_U}}}
                gotify: {gotify: {url: "https://gotify.example.com", token: {env: GOTIFY}}}
                slack: {slack: {url: {env: SLACK}}}
                discord: {discord: {url: {env: SLACK}, username: Vigie}}
                mm: {mattermost: {url: {env: SLACK}}}
                ha: {homeassistant: {url: "http://ha.local:8123", service: mobile_app_pixel, token: {env: HA}}}
                ha-hook: {homeassistant: {url: "http://ha.local:8123", webhook_id: {env: HA}}}
                mail: {email: {smtp: "smtps://smtp.example.com", username: vigie, password: {env: SMTP_PASSWORD},
                               from: "vigie@example.com", to: ["fleet@example.com"]}}
                relay: {email: {smtp: "smtp://relay.example.com:2525", from: "vigie@example.com", to: "ops@example.com", auth: login}}
            """, folder: folder.url)
        let n = config.notifications
        XCTAssertEqual(n.defaults, ["phone"])
        XCTAssertEqual(n.alerts, ["ops", "mail"])
        XCTAssertEqual(n.names, ["phone", "ops", "chat", "push", "gotify", "slack", "discord", "mm", "ha", "ha-hook", "mail", "relay"])
        XCTAssertEqual(n.channels.map(\.settings.kind), ["ntfy", "webhook", "telegram", "pushover", "gotify", "slack", "discord",
                                                        "mattermost", "homeassistant", "homeassistant", "email", "email"])
        XCTAssertEqual(n.channel(named: "phone")?.maxAge, 7200)
        XCTAssertEqual(n.channel(named: "ops")?.maxAge, 86_400)
        XCTAssertEqual(n.channel(named: "ops")?.timeout, 5)
        XCTAssertEqual(n.channel(named: "chat")?.rateLimit, .init(count: 20, per: 60))
        guard case .email(let mail) = n.channel(named: "mail")?.settings, case .email(let relay) = n.channel(named: "relay")?.settings
        else { return XCTFail("email") }
        XCTAssertEqual([mail.host, String(mail.port)], ["smtp.example.com", "465"])
        XCTAssertEqual(mail.security, .implicitTLS)
        XCTAssertEqual(mail.password?.reveal(), "smtp-password-value")
        XCTAssertEqual([relay.host, String(relay.port)], ["relay.example.com", "2525"])
        XCTAssertEqual(relay.security, .startTLS)
        XCTAssertEqual(relay.auth, .login)
        XCTAssertEqual(relay.to, ["ops@example.com"])
        guard case .webhook(let hook) = n.channel(named: "ops")?.settings else { return XCTFail("webhook") }
        XCTAssertTrue(hook.secret.reveal().hasPrefix("whsec_"))
        var dumped = ""
        dump(config.notifications, to: &dumped)
        for secret in Self.environment.values where secret.count > 8 { XCTAssertFalse(dumped.contains(secret), secret) }
    }

    func testVehicleNameForTemplates() throws {
        let config = try parse("""
            vehicles:
              - {vin: VR3UHZKXZMT000001, name: "Zoé"}
              - {vin: VR3UHZKXZMT000002}
            """)
        XCTAssertEqual(config.inventory.vehicles.map(\.name), ["Zoé", nil])
    }

    func testDriftCheckPeriod() throws {
        XCTAssertEqual(try parse("").notifications.driftCheck, 900, "every 15 min by default, channels or not")
        XCTAssertEqual(try parse("notifications: {drift_check: 1h}\n").notifications.driftCheck, 3600)
        let off = try parse("notifications: {drift_check: \"off\"}\n")
        XCTAssertNil(off.notifications.driftCheck)
        XCTAssertNil(DriftSettings(config: off))
        let drift = try XCTUnwrap(DriftSettings(config: try parse("notifications: {drift_check: 30m}\n")))
        XCTAssertEqual(drift.period, 1800)
        XCTAssertEqual(drift.options.api, .b2b)
        XCTAssertEqual(drift.options.callbackURL, "https://vigie.example.com/hooks/webhook/webhook-secret-0123456789",
                       "compiled with the callback URL `vigie plan` uses")
        XCTAssertEqual(issues("notifications: {drift_check: 10s}\n"), [
            "vigie.yaml:4:30: notifications.drift_check must be at least 1m (each check lists the monitors at the API), or off",
        ])
        XCTAssertEqual(issues("notifications: {drift_check: soon}\n"), [
            "vigie.yaml:4:30: notifications.drift_check must be a positive duration such as 30s, 5m, 2h or 1d",
        ])
    }

    func testMistakesAtLineAndColumn() {
        let found = issues("""
            notifications:
              default: [phnoe]
              channels:
                phone: {ntfy: {topic: t}}
                bad: {telegram: {token: "123:inline", chat_id: 1}}
                two: {slack: {url: {env: SLACK}}, discord: {url: {env: SLACK}}}
                mail: {email: {smtp: "http://smtp.example.com", from: nobody, to: []}}
                Upper: {gotify: {url: "https://g.example.com", token: {env: GOTIFY}}}
                hook: {webhook: {url: "https://x.example.com", secret: {env: MISSING_SECRET}}}
                ha: {homeassistant: {url: "http://ha.local:8123"}}
                fax: {fax: {number: 1}}
            """)
        let expected = [
            "vigie.yaml:8:29: notifications.channels.bad.telegram.token must not be written inline: use {file: PATH} or {env: NAME}",
            "vigie.yaml:9:10: notifications.channels.two takes exactly one of webhook, ntfy, telegram, pushover, gotify, slack, discord, mattermost, homeassistant, email",
            "vigie.yaml:10:26: notifications.channels.mail.email.smtp must be smtps://HOST[:PORT] (implicit TLS, 465) or smtp://HOST[:PORT] (STARTTLS, 587)",
            "vigie.yaml:10:59: notifications.channels.mail.email.from: `nobody` is not an address like name@example.com",
            "vigie.yaml:10:71: notifications.channels.mail.email.to needs at least one address",
            "vigie.yaml:11:5: a channel name is made of a-z, 0-9, - and _",
            "vigie.yaml:12:66: notifications.channels.hook.webhook.secret: the environment variable MISSING_SECRET is not set or empty",
            "vigie.yaml:13:25: notifications.channels.ha.homeassistant takes either `webhook_id` (a webhook trigger) or `service` and `token` (the notify service)",
            "vigie.yaml:14:11: unknown key `fax` in notifications.channels.fax (expected webhook, ntfy, telegram, pushover, gotify, slack, discord, mattermost, homeassistant, email, max_age, rate_limit, timeout)",
            "vigie.yaml:14:10: notifications.channels.fax takes exactly one of webhook, ntfy, telegram, pushover, gotify, slack, discord, mattermost, homeassistant, email",
            "vigie.yaml:5:13: notifications.default: no channel named `phnoe`; did you mean `phone`?",
        ]
        XCTAssertEqual(found, expected, found.joined(separator: "\n"))
        XCTAssertFalse(found.joined().contains("123:inline"))
    }
}
