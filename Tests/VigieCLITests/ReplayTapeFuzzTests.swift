import Foundation
import RuleEngine
import VehicleData
@testable import VigieKit
import VigieTestSupport
import XCTest

/// The byte-level reader of `status` and `message` lines (`JSONTape`, then
/// `ReplayEvents.parseTapeLine`) against the general path (`JSONValue(parsing:)`, then
/// `ReplayEvents.parseLine`), on seeded mutations of status payloads (both shapes) and
/// webhook messages, written out with random spacing, key order, duplicate keys and
/// number spellings: whenever the tape takes a line, its document is the parser's, its
/// status decodes and its monitor event reads to the same observation (values, data
/// times) and warnings, and its event is the general path's. Lines the tape declines
/// go the general way, so they cannot differ.
final class ReplayTapeFuzzTests: XCTestCase {
    static let fuzz = FuzzRun(defaultCases: 4000, defaultSeed: 0x7A9E_2026)

    func testTapeLinesAgreeWithTheGeneralPath() throws {
        var rng = SeededRandom(seed: Self.fuzz.seed)
        let tape = JSONTape()
        var taken = 0, documents = 0, bodies = 0, warnings = 0, dataTimes = 0
        for i in 0..<Self.fuzz.cases {
            let line = Self.line(&rng)
            var bytes = Array(line.utf8)
            let general = try? JSONValue(parsing: line)
            let read = bytes.withUnsafeMutableBufferPointer { raw -> Bool in
                let text = UnsafeBufferPointer(raw)
                guard tape.parse(text) else { return false }
                documents += 1
                guard let general else {
                    XCTFail("case \(i): the tape read what the parser refuses: \(line)")
                    return true
                }
                XCTAssertEqual(tape.root.jsonValue, general, "case \(i): \(line)")
                if let status = tape.root["status"], let expected = general["status"] {
                    bodies += 1
                    let (a, b) = (StatusDecoder.decode(status), StatusDecoder.decode(expected))
                    XCTAssertEqual(a.observation, b.observation, "case \(i): \(line)")
                    XCTAssertEqual(a.warnings, b.warnings, "case \(i): \(line)")
                }
                if let event = tape.root["message"]?["monitorEvent"], let expected = general["message"]?["monitorEvent"] {
                    bodies += 1
                    XCTAssertEqual(MonitorEventReader.read(event), MonitorEventReader.read(expected), "case \(i): \(line)")
                }
                guard let event = ReplayEvents.parseTapeLine(tape.root, line: i + 1) else { return true }
                taken += 1
                warnings += event.warnings.isEmpty ? 0 : 1
                dataTimes += event.observation.dataTimes.isEmpty ? 0 : 1
                switch ReplayEvents.parseLine(general, line: i + 1) {
                case .success(let expected): XCTAssertEqual(event, expected, "case \(i): \(line)")
                case .failure(let error): XCTFail("case \(i): the tape took a line the general path refuses (\(error)): \(line)")
                }
                return true
            }
            if !read, general != nil, line.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\\") }) {
                // Plain ASCII JSON the tape declined: only deeper nesting than its limit may explain it.
                XCTAssertGreaterThan(line.filter { $0 == "[" || $0 == "{" }.count, 64, "case \(i): \(line)")
            }
        }
        // The comparison means something only if the tape takes most lines, with warnings and data times among them.
        XCTAssertGreaterThan(documents, Self.fuzz.cases / 2)
        XCTAssertGreaterThan(taken, Self.fuzz.cases / 4)
        XCTAssertGreaterThan(bodies, Self.fuzz.cases / 3)
        XCTAssertGreaterThan(warnings, Self.fuzz.cases / 50)
        XCTAssertGreaterThan(dataTimes, Self.fuzz.cases / 50)
    }

    /// Numbers the tape reads the fast way or by `Double(text)`, each as the parser does.
    func testNumberSpellings() throws {
        let tape = JSONTape()
        for text in ["0", "-0", "-0.0", "18", "18.5", "0.1", "123456789012345", "1234567890123456", "0.30000000000000004",
                     "1e3", "1E-3", "2.5e+2", "-12.75", "999999999999999.9", "4.35", "0.000001", "1e308"] {
            var bytes = Array(text.utf8)
            let read = bytes.withUnsafeMutableBufferPointer { raw -> JSONValue? in
                tape.parse(UnsafeBufferPointer(raw)) ? tape.root.jsonValue : nil
            }
            let expected = try JSONValue(parsing: text)
            XCTAssertEqual(read, expected, text)
            if case .number(let a)? = read, case .number(let b) = expected {
                XCTAssertEqual(a.sign, b.sign, text)
            }
        }
        for bad in ["01", "1.", ".5", "1e", "-", "1e400", "[1,]", "{\"a\":1,}", "\"a\\n\"", "\"é\"", "{\"a\" 1}", "nul"] {
            var bytes = Array(bad.utf8)
            XCTAssertFalse(bytes.withUnsafeMutableBufferPointer { tape.parse(UnsafeBufferPointer($0)) }, bad)
        }
    }

    // MARK: generated lines

    static let bases: [(key: String, body: String)] = [
        ("status", #"{"energies": [{"type": "Electric", "level": 18, "autonomy": 63, "updatedAt": "2026-03-02T07:59:00Z", "extension": {"electric": {"charging": {"plugged": true, "status": "InProgress", "remainingTime": "PT1H30M", "chargingRate": 22.5}}}}], "environment": {"air": {"temp": 12.5}, "createdAt": "2026-03-02T07:00:00Z"}, "lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3333, 48.8667]}, "properties": {"updatedAt": "2026-03-02T07:58:00Z"}}, "updatedAt": "2026-03-02T07:59:30Z"}"#),
        ("status", #"{"energy": [{"type": "Electric", "level": 55.5, "autonomy": 190, "charging": {"plugged": false, "status": "Disconnected", "chargingMode": "No"}}, {"type": "Fuel", "level": 40, "autonomy": 300}], "lastPosition": {"geometry": {"coordinates": [2.35, 48.85, 35]}}, "kinetic": {"speed": 42, "moving": true}, "odometer": {"mileage": 12345.6}}"#),
        ("status", #"{"doorsState": {"lockedStates": ["Locked"], "opening": [{"identifier": "Driver", "state": "Closed"}], "createdAt": "2026-03-02T07:10:00Z"}, "alarm": {"status": {"activation": "Active", "createdAt": "2026-03-02T07:20:00Z"}, "trigger": {"type": "Intrusion"}}, "ignition": {"type": "Stop"}, "privacy": {"state": "None"}, "preconditionning": {"airConditioning": {"status": "Enabled", "updatedAt": "2026-03-02T07:30:00Z"}}, "alerts": [{"type": "LowBattery", "active": true}, "DoorOpen"], "engines": [{"type": "Thermic", "extension": {"thermic": {"oil": {"temp": 90}}}, "gmpStatus": "Ready"}], "battery": {"voltage": 12.4}, "drivingBehavior": {"mode": "Eco"}}"#),
        ("message", #"{"callbackId": "cb1", "type": "Monitor", "date": "2026-03-02T00:00:00Z", "attributes": [{"key": "vin", "value": "V1"}], "monitorEvent": {"monitorId": "m1", "refresh": false, "values": [{"data": "vehicle.energy.electric.level", "value": {"type": "string", "body": {"literalValue": "18"}}}, {"data": "vehicle.doorsState.lockedState", "value": ["Locked", "TrunkUnLocked"]}]}}"#),
        ("message", #"{"type": "Monitor", "monitorEvent": {"monitorId": "m2", "extensions": [{"type": "vehicle.status", "body": [{"status": {"energies": [{"type": "Electric", "level": 30, "updatedAt": "2026-03-02T06:00:00Z"}], "kinetic": {"speed": 0, "moving": false}}}]}, {"type": "vehicle.position", "body": {"position": {"geometry": {"coordinates": [2.1, 48.7]}}}}], "values": [{"data": "vehicle.kinetic.moving", "value": "true"}, {"data": "vehicle.alarm.status.activation", "value": "Inactive"}]}}"#),
        ("message", #"[{"type": "Remote", "remoteEvent": {"remoteActionId": "ra-1", "eventStatus": {"type": "Done", "status": "Success"}}}, {"monitorEvent": {"values": [{"data": "vehicle.energy.charging.status", "value": "Failure"}]}}]"#),
    ]

    static let keys = ["type", "level", "autonomy", "status", "updatedAt", "createdAt", "values", "value", "data", "body",
                       "monitorEvent", "remoteEvent", "extensions", "energies", "energy", "charging", "plugged", "attributes"]
    static let strings = ["Electric", "Fuel", "Monitor", "Remote", "Locked", "Active", "InProgress", "PT1H", "18", "true",
                          "", "2026-03-02T07:00:00Z", "2026-13-40T99:00:00Z", "vehicle.energy.electric.level", "é", "a\nb"]

    static func line(_ rng: inout SeededRandom) -> String {
        let base = rng.pick(bases)
        var body = (try? JSONValue(parsing: base.body)) ?? .null
        for _ in 0..<rng.int(0...3) { body = mutate(body, &rng) }
        var members: [(String, JSONValue)] = [("at", .string(rng.chance(0.95) ? "2026-03-02T08:00:0\(rng.int(0...9))Z" : "soon")),
                                              ("vin", .string(rng.chance(0.97) ? "VIN\(rng.int(1...5))" : "")), (base.key, body)]
        if rng.chance(0.04) { members.append((rng.pick(["set", "status", "message", "extra"]), .object([:]))) }
        if rng.chance(0.03) { members.removeFirst() }
        members.shuffle(using: &rng)
        var out = ""
        write(.object(Dictionary(members, uniquingKeysWith: { a, _ in a })), order: members.map(\.0), &rng, into: &out)
        return out
    }

    static func mutate(_ value: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        switch value {
        case .object(var o) where !o.isEmpty && rng.chance(0.8):
            let key = rng.pick(o.keys.sorted())
            switch rng.int(0...5) {
            case 0: o[key] = randomValue(&rng, depth: 2)
            case 1: o[key] = nil
            case 2: o[rng.pick(keys)] = randomValue(&rng, depth: 2)
            default: o[key] = mutate(o[key]!, &rng)
            }
            return .object(o)
        case .array(var a) where !a.isEmpty && rng.chance(0.8):
            let i = rng.int(0...a.count - 1)
            a[i] = rng.chance(0.3) ? randomValue(&rng, depth: 2) : mutate(a[i], &rng)
            return .array(a)
        default:
            return randomValue(&rng, depth: 1)
        }
    }

    static func randomValue(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        switch rng.int(0...(depth > 2 ? 4 : 6)) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2: return .number(rng.pick([0, -0.0, 18, 19.5, -3, 1e21, 0.1, 123456.789, 1e-7, 42]))
        case 3, 4: return .string(rng.pick(strings))
        case 5: return .array((0..<rng.int(0...3)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<rng.int(0...3) { o[rng.pick(keys)] = randomValue(&rng, depth: depth + 1) }
            return .object(o)
        }
    }

    /// JSON text with random spacing, the given key order (or a shuffled one), now and
    /// then a repeated key (the first one counts) and numbers spelled several ways.
    static func write(_ value: JSONValue, order: [String]? = nil, _ rng: inout SeededRandom, into out: inout String) {
        func space() { if rng.chance(0.3) { out += rng.pick([" ", "  ", "\t", "\r\n "]) } }
        space()
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += spelling(n, &rng)
        case .string(let s): out += quoted(s)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                write(item, &rng, into: &out)
            }
            space()
            out += "]"
        case .object(let o):
            out += "{"
            var keys = order ?? o.keys.shuffled(using: &rng)
            if let repeated = keys.first, rng.chance(0.05) { keys.append(repeated) }   // parsed as the first
            for (i, key) in keys.enumerated() {
                if i > 0 { out += "," }
                space()
                out += quoted(key)
                space()
                out += ":"
                write(i == keys.count - 1 && i > 0 && key == keys[0] ? randomValue(&rng, depth: 3) : o[key]!, &rng, into: &out)
            }
            space()
            out += "}"
        }
        space()
    }

    static func spelling(_ n: Double, _ rng: inout SeededRandom) -> String {
        if n == n.rounded(), abs(n) < 1e15 {
            let whole = n == 0 && n.sign == .minus ? "-0" : String(Int64(n))
            return rng.pick([whole, whole + ".0", whole + "e0", whole + "0e-1", whole + ".000000000000000001"])
        }
        return rng.pick(["\(n)", String(format: "%.17g", n), String(format: "%.3f", n)])
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
