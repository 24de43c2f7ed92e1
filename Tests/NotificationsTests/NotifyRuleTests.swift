import Foundation
import VigieTestSupport
import XCTest

/// The notify action as rules write it (DESIGN.md "Rule files", "Notifications"), through
/// the built binary: `notify: "text"` and `notify: {text, title, to, priority}`,
/// `{{time}}` and `{{vehicle.name}}`, dry-run's JSON with title/to/priority, mistakes at
/// their line and column, and `validate --config` checking channel names.
final class NotifyRuleTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder(prefix: "vigie-notify-rules")
        try folder.write("notify.yaml", """
            vigie: 1
            bundle: ev-notify
            timezone: Europe/Paris
            notify_to: [phone]
            rules:
              - id: low
                when: battery.level < 20 %
                then:
                  - notify: "{{vehicle.name}} at {{battery.level}} % ({{time}})"
                  - notify: {text: "low {{vin}}", title: "Battery {{battery.level}} %", to: [mail, phone], priority: high}
                  - notify: {text: plain, to: phone}

            """)
        try folder.write("events.jsonl", """
            {"at": "2026-12-07T08:05:00Z", "vin": "VR3UHZKXZMT000001", "set": {"battery.level": 18}}
            {"at": "2026-12-07T08:05:00Z", "vin": "VR3UHZKXZMT000002", "set": {"battery.level": 18}}

            """)
        try folder.write("inventory.yaml", """
            vehicles:
              - {vin: VR3UHZKXZMT000001, name: "Zoé"}
              - {vin: VR3UHZKXZMT000002}

            """)
        // Secrets are not needed to check channel names: none of these variables is set.
        try folder.write("vigie.yaml", """
            api: {kind: b2b, client_id: c, client_secret: {env: NOT_SET_HERE}, fleet_id: f1}
            callback: {public_url: "https://vigie.example.com/hooks", webhook_secret: {env: NOT_SET_EITHER}}
            rules: [notify.yaml]
            notifications:
              default: [phone]
              channels:
                phone: {ntfy: {topic: t}}
                mails: {webhook: {url: "https://x.example.com", secret: {env: NOPE}}}

            """)
    }

    override func tearDownWithError() throws { try folder?.remove() }

    func testDryRunPrintsTitleToAndPriorityTimeAndVehicleName() throws {
        let run = try CommandRunner.vigie(["dry-run", "notify.yaml", "--events", "events.jsonl", "--inventory", "inventory.yaml",
                                           "--format", "json"], in: folder.url)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            #"{"actions": [{"notify": "Zoé at 18 % (09:05)"}, {"notify": "low VR3UHZKXZMT000001", "priority": "high", "#
                + #""title": "Battery 18 %", "to": ["mail", "phone"]}, {"notify": "plain", "to": ["phone"]}], "#
                + #""at": "2026-12-07T08:05:00Z", "bundle": "ev-notify", "event": "fired", "reason": null, "rule": "low", "#
                + #""vin": "VR3UHZKXZMT000001"}"#,
            #"{"actions": [{"notify": "VR3UHZKXZMT000002 at 18 % (09:05)"}, {"notify": "low VR3UHZKXZMT000002", "#
                + #""priority": "high", "title": "Battery 18 %", "to": ["mail", "phone"]}, {"notify": "plain", "to": ["phone"]}], "#
                + #""at": "2026-12-07T08:05:00Z", "bundle": "ev-notify", "event": "fired", "reason": null, "rule": "low", "#
                + #""vin": "VR3UHZKXZMT000002"}"#,
        ])
    }

    func testMistakesAtTheirPlace() throws {
        try folder.write("bad.yaml", """
            vigie: 1
            bundle: ev-bad
            notify_to: [Phone]
            rules:
              - id: low
                when: battery.level < 20 %
                then:
                  - notify: {text: hi, to: [phone], priority: loud, colour: red}
                  - notify: {title: t}
                  - notify: "{{tiem}} {{vehicle.nam}}"
                  - notify: {text: hi, to: []}

            """)
        let run = try CommandRunner.vigie(["validate", "bad.yaml", "--format", "github"], in: folder.url)
        XCTAssertEqual(run.exitCode, 1)
        let positions = run.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("::error") else { return nil }
            let parts = line.split(separator: ",").map(String.init)
            return parts.first { $0.hasPrefix("line=") }.map { l in l + "," + (parts.first { $0.hasPrefix("col=") } ?? "") }
        }
        XCTAssertEqual(positions, ["line=3,col=13", "line=8,col=51", "line=8,col=57", "line=9,col=17", "line=10,col=18",
                                   "line=10,col=27", "line=11,col=32"], run.stdout)
        XCTAssertTrue(run.stdout.contains("did you mean `time`?") || run.stdout.contains("did you mean `time`"), run.stdout)
    }

    func testValidateWithConfigChecksChannelNames() throws {
        let plain = try CommandRunner.vigie(["validate", "notify.yaml"], in: folder.url)
        XCTAssertEqual(plain.exitCode, 0, plain.stdout)
        let checked = try CommandRunner.vigie(["validate", "notify.yaml", "--config", "vigie.yaml"], in: folder.url)
        XCTAssertEqual(checked.exitCode, 1)
        XCTAssertTrue(checked.stdout.hasPrefix(
            "notify.yaml:10:82: error[unknown-channel]: no notification channel named `mail` in the configuration\n"), checked.stdout)
        XCTAssertTrue(checked.stdout.contains("note: did you mean `mails`?"), checked.stdout)
        let missing = try CommandRunner.vigie(["validate", "notify.yaml", "--config", "nope.yaml"], in: folder.url)
        XCTAssertEqual(missing.exitCode, 64, missing.stderr)
    }

    func testPlanRefusesAnUnknownChannel() throws {
        let plan = try CommandRunner.vigie(["plan", "--config", "vigie.yaml"], in: folder.url,
                                           environment: ["NOT_SET_HERE": "client-secret-1234", "NOT_SET_EITHER": "webhook-secret-0123456789",
                                                         "NOPE": "hook-secret-value"])
        XCTAssertNotEqual(plan.exitCode, 0)
        XCTAssertTrue((plan.stdout + plan.stderr).contains("unknown-channel"), plan.stdout + plan.stderr)
    }
}
