import Foundation
import VigieTestSupport
import XCTest

/// SEMANTICS.md "Fields" (where each alias comes from in a status payload),
/// "Observations and vehicle state" and the `message` replay lines, through `vigie dry-run`.
/// Each vehicle gets one status line with an electric level under 20 %, so the rule fires
/// once and its notify shows every field as the engine holds it.
final class ConformanceStatusFieldsTests: XCTestCase {
    typealias W = ConformanceWorkspace
    var ws: ConformanceWorkspace!

    override func setUpWithError() throws { ws = try ConformanceWorkspace() }
    override func tearDown() { ws.remove() }

    static let everyField = ["battery.level", "battery.autonomy", "fuel.level", "fuel.autonomy", "autonomy",
                             "charging.plugged", "charging.status", "speed", "moving", "odometer",
                             "outside.temperature", "ignition", "preconditioning.status", "privacy",
                             "alarm.active", "doors.locked", "position"]

    static let rules = """
        vigie: 1
        bundle: fields
        rules:
          - id: show
            when: battery.level < 20
            then:
              - notify: "\(everyField.map { "{{\($0)}}" }.joined(separator: "|"))"
        """

    /// The notify text of the first decision of each vehicle, by vin.
    func rendered(_ statuses: [(vin: String, status: String)]) throws -> [String: String] {
        let events = statuses.map { #"{"at": "2026-03-02T08:00:00Z", "vin": "\#($0.vin)", "status": \#($0.status)}"# }
        let lines = try ws.decisions(rules: Self.rules, events: events.joined(separator: "\n") + "\n")
        var out: [String: String] = [:]
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let actions = try XCTUnwrap(object["actions"] as? [[String: String]])
            out[try XCTUnwrap(object["vin"] as? String)] = actions.first?["notify"]
        }
        return out
    }

    func testSchemaShapedStatusFillsEveryField() throws {
        let status = """
            {"energies": [{"type": "Electric", "level": 19.5, "autonomy": 120, "charging": {"plugged": true, "status": "InProgress"}},
                          {"type": "Fuel", "level": 40, "autonomy": 300.5}],
             "kinetic": {"speed": 12.25, "moving": true}, "odometer": {"mileage": 12345.6},
             "environment": {"air": {"temp": -3}}, "ignition": {"type": "StartUp"},
             "preconditioning": {"airConditioning": {"status": "Enabled"}}, "privacy": {"state": "Geolocation"},
             "alarm": {"status": {"activation": "Active"}}, "doorsState": {"lockedStates": ["Locked"]},
             "lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.25, 48.5, 30]}}}
            """.replacingOccurrences(of: "\n", with: " ")
        XCTAssertEqual(try rendered([("V1", status)]), [
            "V1": "19.5|120|40|300.5|420.5|true|InProgress|12.25|true|12345.6|-3|StartUp|Enabled|Geolocation|true|true|48.5,2.25",
        ])
    }

    func testRealWorldShapes() throws {
        // `energy` as one object, charging under extension.electric.charging, `preconditionning`.
        let object = #"{"energy": {"type": "Electric", "level": 18, "autonomy": 100, "extension": {"electric": {"charging": {"plugged": false, "status": "Disconnected"}}}}, "preconditionning": {"airConditioning": {"status": "Finished"}}, "alarm": {"status": {"activation": "Inactive"}}, "doorsState": {"lockedStates": ["SuperLocked"]}}"#
        // `energy` as an array, charging directly inside the electric entry.
        let array = #"{"energy": [{"type": "Fuel", "level": 10, "autonomy": 50}, {"type": "Electric", "level": 5, "autonomy": 20, "charging": {"plugged": true, "status": "Stopped"}}]}"#
        XCTAssertEqual(try rendered([("OBJ", object), ("ARR", array)]), [
            "OBJ": "18|100|unknown|unknown|100|false|Disconnected|unknown|unknown|unknown|unknown|unknown|Finished|unknown|false|true|unknown",
            "ARR": "5|20|10|50|70|true|Stopped|unknown|unknown|unknown|unknown|unknown|unknown|unknown|unknown|unknown|unknown",
        ])
    }

    /// doors.locked: Locked or SuperLocked present and no state ending in `Unlocked`, case-insensitively.
    func testDoorsLockedReading() throws {
        func status(_ states: String) -> String {
            #"{"energies": [{"type": "Electric", "level": 10}], "doorsState": {"lockedStates": \#(states)}}"#
        }
        let got = try rendered([
            ("A", status(#"["Locked"]"#)), ("B", status(#"["SuperLocked"]"#)),
            ("C", status(#"["Locked", "TrunkUnLocked"]"#)), ("D", status(#"["Unlocked"]"#)),
            ("E", status(#"["Locked", "DriverDoorUnlocked"]"#)), ("F", status(#"["locked"]"#)),
        ]).mapValues { $0.split(separator: "|")[15] }
        XCTAssertEqual(got, ["A": "true", "B": "true", "C": "false", "D": "false", "E": "false", "F": "true"])
    }

    /// A field a line lacks, or carries as null, keeps its value; a value outside the enum is kept
    /// and equals no member; a message's own `date` and the payload's timestamps are not used.
    func testNullKeepsAndUnknownEnumMemberEqualsNone() throws {
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: keep
            rules:
              - id: stopped
                when: charging.status == Stopped
                then: [{notify: "stopped {{battery.level}}"}]
              - id: not-stopped
                when: charging.status != Stopped
                then: [{notify: "other {{charging.status}} {{battery.level}}"}]
            """, events: """
            {"at": "2026-03-02T08:00:00Z", "vin": "V1", "status": {"energies": [{"type": "Electric", "level": 50, "charging": {"status": "Stopped"}, "updatedAt": "2030-01-01T00:00:00Z"}]}}
            {"at": "2026-03-02T08:01:00Z", "vin": "V1", "status": {"energies": [{"type": "Electric", "level": null, "charging": {"status": null}}]}}
            {"at": "2026-03-02T08:02:00Z", "vin": "V1", "set": {"battery.level": null, "charging.status": null}}
            {"at": "2026-03-02T08:03:00Z", "vin": "V1", "status": {"energies": [{"type": "Electric", "level": 49, "charging": {"status": "No"}}]}}

            """)
        XCTAssertEqual(lines, [
            W.fired("2026-03-02T08:00:00Z", bundle: "keep", rule: "stopped", actions: [W.notify("stopped 50")]),
            W.fired("2026-03-02T08:03:00Z", bundle: "keep", rule: "not-stopped", actions: [W.notify("other No 49")]),
        ])
    }

    /// A monitor event's `values` update the fields of SEMANTICS.md's table; a remote event changes none;
    /// the line's `at` is the instant, not the message's `date`.
    func testMessageLinesUpdateTheFieldsTheyName() throws {
        let pairs = [("vehicle.energy.electric.level", "18"), ("vehicle.energy.electric.autonomy", "90"),
                     ("vehicle.energy.fuel.level", "40.5"), ("vehicle.energy.fuel.autonomy", "300"),
                     ("vehicle.autonomy", "390"), ("vehicle.energy.charging.status", "InProgress"),
                     ("vehicle.energy.charging.plugged", "true"), ("vehicle.kinetic.moving", "false"),
                     ("vehicle.kinetic.speed", "0"), ("vehicle.odometer", "1234.5"),
                     ("environment.air.temp", "-2.5"), ("privacy.state", "Full")]
        let values = pairs.map { #"{"data": "\#($0.0)", "value": {"type": "string", "body": {"literalValue": "\#($0.1)"}}}"# }
        let monitor = #"{"at": "2026-03-02T08:01:00Z", "vin": "V1", "message": {"callbackId": "cb", "type": "Monitor", "date": "2020-01-01T00:00:00Z", "monitorEvent": {"monitorId": "m1", "values": [\#(values.joined(separator: ", "))]}}}"#
        let remote = #"{"at": "2026-03-02T08:02:00Z", "vin": "V1", "message": {"callbackId": "cb", "type": "Remote", "date": "2026-03-02T08:02:00Z", "remoteEvent": {"remoteActionId": "r1", "remoteType": "Charging", "eventStatus": {"type": "Done", "status": "Success"}}}}"#
        let lines = try ws.decisions(rules: """
            vigie: 1
            bundle: msg
            rules:
              - id: show
                when: battery.level < 20 or changed(speed)
                then:
                  - notify: "{{battery.level}}|{{battery.autonomy}}|{{fuel.level}}|{{fuel.autonomy}}|{{autonomy}}|{{charging.status}}|{{charging.plugged}}|{{moving}}|{{speed}}|{{odometer}}|{{outside.temperature}}|{{privacy}}"
            """, events: [W.set("2026-03-02T08:00:00Z", "V1", #""battery.level": 50, "speed": 30"#), monitor, remote,
                          W.set("2026-03-02T08:03:00Z", "V1", #""battery.level": 25"#)].joined(separator: "\n") + "\n")
        XCTAssertEqual(lines, [
            W.fired("2026-03-02T08:01:00Z", bundle: "msg", rule: "show",
                    actions: [W.notify("18|90|40.5|300|390|InProgress|true|false|0|1234.5|-2.5|Full")]),
        ])
    }
}
