import Foundation
import RuleLanguage
import VehicleData
import VigieTestSupport
import XCTest

/// SEMANTICS.md "What a firing sends", statement by statement, through `vigie dry-run
/// --format json`: every remote body exactly as POSTed, and the notify rendering.
final class ConformanceRemoteBodiesTests: XCTestCase {
    typealias W = ConformanceWorkspace
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws { ws = try ConformanceWorkspace() }
    override func tearDown() { ws.remove() }

    func testEveryActionMapsToItsRemoteBody() throws {
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: acts
            allow: [doors.unlock]
            zones:
              depot: { center: { lat: 48.8667, lon: 2.3333 }, radius: 2 km }
            rules:
              - id: all
                when: battery.level < 20
                then:
                  - charge: start
                  - charge: stop
                  - charge: {level: Level3, type: Partial}
                  - charge: {level: Level1}
                  - charge: {type: Full}
                  - precondition: start
                  - precondition: stop
                  - doors: lock
                  - doors: unlock
                  - horn: on
                  - lights: on
                  - wake_up: true
                  - navigate: {to: depot, approval: true}
                  - navigate: {to: {lat: 45.5, lon: -4.25}}
            """, events: W.set("2026-03-02T08:00:00Z", "V1", #""battery.level": 18"#) + "\n")
        let bodies = [
            #"{"charging": {"immediate": true}}"#,
            #"{"charging": {"immediate": false}}"#,
            #"{"charging": {"preferences": {"level": "Level3", "type": "Partial"}}}"#,
            #"{"charging": {"preferences": {"level": "Level1"}}}"#,
            #"{"charging": {"preferences": {"type": "Full"}}}"#,
            #"{"preconditioning": {"airConditioning": {"immediate": true}}}"#,
            #"{"preconditioning": {"airConditioning": {"immediate": false}}}"#,
            #"{"door": {"state": "Locked"}}"#,
            #"{"door": {"state": "Unlocked"}}"#,
            #"{"horn": {"state": "Activated"}}"#,
            #"{"lights": {"on": true}}"#,
            #"{"wakeUp": {"action": "WakeUp"}}"#,
            #"{"navigation": {"driverApproval": true, "positions": [{"coordinates": [2.3333, 48.8667], "type": "Point"}]}}"#,
            #"{"navigation": {"driverApproval": false, "positions": [{"coordinates": [-4.25, 45.5], "type": "Point"}]}}"#,
        ]
        XCTAssertEqual(lines, [W.fired("2026-03-02T08:00:00Z", bundle: "acts", rule: "all", actions: bodies.map(W.remote))])
    }

    /// `charge: {at: T}`: the first T strictly after the firing, in the bundle's zone, with its offset;
    /// a time in a DST gap moves to the first instant after the gap, a repeated one is its first occurrence.
    func testChargeAtIsTheNextWallClockTimeWithItsOffset() throws {
        let rules = """
            vigie: 1
            bundle: at
            timezone: Europe/Paris
            rules:
              - id: evening
                when: battery.level < 20
                then: [{charge: {at: "23:30"}}]
              - id: night
                when: battery.level < 20
                then: [{charge: {at: "02:30"}}]
            """
        func times(_ at: String) throws -> [String] {
            let lines = try ws.decisions(rules: rules, events: W.set(at, "V1", #""battery.level": 18"#) + "\n")
            return lines.map { line in
                let range = line.range(of: #"(?<="nextDelayedTime": ")[^"]+"#, options: .regularExpression)
                return range.map { String(line[$0]) } ?? line
            }
        }
        // 23:40 CET on the eve of the spring change: 23:30 tomorrow is summer time; 02:30 does not exist.
        XCTAssertEqual(try times("2026-03-28T22:40:00Z"), ["2026-03-29T23:30:00+02:00", "2026-03-29T03:00:00+02:00"])
        // Exactly 23:30 local: strictly after means tomorrow.
        XCTAssertEqual(try times("2026-01-10T22:30:00Z"), ["2026-01-11T23:30:00+01:00", "2026-01-11T02:30:00+01:00"])
        // The autumn change: 02:30 happens twice on 25 October; the first one (summer time) is meant.
        XCTAssertEqual(try times("2026-10-24T22:00:00Z"), ["2026-10-25T23:30:00+01:00", "2026-10-25T02:30:00+02:00"])
    }

    func testNotifyRendersValuesAtTheFiringInstant() throws {
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: note
            rules:
              - id: say
                when: battery.level < 20
                then:
                  - notify: "{{vin}}|{{rule}}|{{bundle}}|{{battery.level}}|{{odometer}}|{{outside.temperature}}|{{charging.plugged}}|{{moving}}|{{charging.status}}|{{position}}|{{speed}}|{{ignition}}"
            """, events: [
                W.set("2026-03-02T08:00:00Z", "VIN-A", #""battery.level": 18, "odometer": 12345.25, "outside.temperature": -3.5, "charging.plugged": true, "moving": false, "charging.status": "InProgress", "position": {"lat": 48.5, "lon": 2.25}"#),
                W.set("2026-03-02T08:00:00Z", "VIN-B", #""battery.level": 19.5, "odometer": 0.1, "outside.temperature": 20"#),
            ].joined(separator: "\n") + "\n")
        XCTAssertEqual(lines, [
            W.fired("2026-03-02T08:00:00Z", "VIN-A", bundle: "note", rule: "say",
                    actions: [W.notify("VIN-A|say|note|18|12345.25|-3.5|true|false|InProgress|48.5,2.25|unknown|unknown")]),
            W.fired("2026-03-02T08:00:00Z", "VIN-B", bundle: "note", rule: "say",
                    actions: [W.notify("VIN-B|say|note|19.5|0.1|20|unknown|unknown|unknown|unknown|unknown|unknown")]),
        ])
    }

    func testNotifyTextIsEscapedAsJSON() throws {
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: esc
            rules:
              - id: say
                when: battery.level < 20
                then:
                  - notify: "a \\"quote\\", a \\\\ and a tab\\t for {{vin}}"
            """, events: W.set("2026-03-02T08:00:00Z", #"V\"1"#, #""battery.level": 18"#) + "\n")
        XCTAssertEqual(lines.count, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let actions = try XCTUnwrap(object["actions"] as? [[String: String]])
        XCTAssertEqual(actions, [["notify": "a \"quote\", a \\ and a tab\t for V\"1"]])
        XCTAssertEqual(object["vin"] as? String, "V\"1")
    }

    func testSuppressedDecisionHasEmptyActionsAndItsReason() throws {
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: cool
            rules:
              - id: low
                when: battery.level < 20
                cooldown: 1h
                then: [{horn: on}]
            """, events: [
                W.set("2026-03-02T08:00:00Z", "V1", #""battery.level": 18"#),
                W.set("2026-03-02T08:10:00Z", "V1", #""battery.level": 30"#),
                W.set("2026-03-02T08:20:00Z", "V1", #""battery.level": 18"#),
            ].joined(separator: "\n") + "\n")
        XCTAssertEqual(lines, [
            W.fired("2026-03-02T08:00:00Z", bundle: "cool", rule: "low", actions: [W.remote(#"{"horn": {"state": "Activated"}}"#)]),
            W.suppressed("2026-03-02T08:20:00Z", bundle: "cool", rule: "low", reason: "cooldown"),
        ])
    }

    /// The JSON writer behind compile, validate and plan outputs: integral numbers never get a decimal point.
    func testCanonicalJSONPrintsIntegralNumbersWithoutAPoint() {
        let value = JSONValue.array([.number(18), .number(19.5), .number(-0.0), .number(2e15), .number(-4e17), .number(1e300)])
        XCTAssertEqual(CanonicalJSON.text(value, pretty: false), "[18, 19.5, 0, 2000000000000000, -400000000000000000, 1e+300]")
    }

    func testNotifyRejectsUnknownTemplateNames() throws {
        try ws.write("rules.yaml", """
            vigie: 1
            bundle: note
            rules:
              - id: say
                when: battery.level < 20
                then:
                  - notify: "{{vin}} {{battery.lvl}}"
            """)
        let r = try ws.vigie(["validate", "rules.yaml"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertTrue(r.stdout.hasPrefix("rules.yaml:7:26: error[unknown-template-name]:"), r.stdout)
    }
}
