import XCTest
import VehicleData
import VigieTestSupport

/// Garbage in, never a crash: seeded random JSON, and known payloads with random
/// subtrees swapped in. Every value that comes out fits its field's type.
final class DecoderFuzzTests: XCTestCase {
    static let keys = [
        "energies", "energy", "type", "Electric", "Fuel", "level", "autonomy", "charging", "extension", "electric",
        "plugged", "status", "chargingMode", "chargingRate", "remainingTime", "chargingPowerLevel", "kinetic",
        "speed", "moving", "odometer", "mileage", "environment", "air", "temp", "ignition", "privacy", "state",
        "preconditioning", "preconditionning", "airConditioning", "alarm", "activation", "trigger", "doorsState",
        "lockedStates", "opening", "lastPosition", "geometry", "coordinates", "powertrain", "engines", "oil",
        "thermic", "gmpStatus", "alerts", "active", "_embedded", "drivingBehavior", "mode", "data", "value",
        "body", "literalValue",
    ]
    static let strings = ["Electric", "Fuel", "Locked", "TrunkUnLocked", "Open", "Active", "PT1H", "P", "18", "true",
                          "", "InProgress", "vehicle.energy.electric.level", "vehicle.alarm.status.activation",
                          "privacy.state", "vehicle.kinetic.moving", "\u{0}\u{1F697}", "NaN", "1e400", "-0"]

    func testRandomJSONNeverCrashesTheStatusDecoder() {
        var rng = SeededRandom(seed: 0x5EED_2026)
        for _ in 0..<3000 {
            let payload = randomJSON(&rng, depth: 0)
            check(StatusDecoder.decode(payload), payload)
        }
    }

    func testMutatedPayloadsNeverCrashTheStatusDecoder() {
        var rng = SeededRandom(seed: 42)
        let bases = [TestPayloads.json(TestPayloads.schemaShaped), TestPayloads.json(TestPayloads.realWorld)]
        for i in 0..<3000 {
            var payload = bases[i % 2]
            for _ in 0..<(1 + Int(rng.next() % 4)) { payload = mutate(payload, &rng) }
            check(StatusDecoder.decode(payload), payload)
        }
    }

    func testRandomValuesNeverCrashTheMonitorMapping() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<3000 {
            let count = Int(rng.next() % 5)
            let values: [JSONValue] = (0..<count).map { _ in
                rng.next() % 4 == 0 ? randomJSON(&rng, depth: 1)
                    : .object(["data": .string(Self.monitorPath(&rng)), "value": randomJSON(&rng, depth: 2)])
            }
            check(MonitorValueMapping.decode(values: values), .array(values))
        }
    }

    // MARK: checks

    private func check(_ result: (observation: Observation, warnings: [DecodeWarning]), _ input: JSONValue,
                       file: StaticString = #filePath, line: UInt = #line) {
        for (id, value) in result.observation.values {
            let field = Catalog[id]
            XCTAssertTrue(Self.fits(value, field.type), "\(field.alias) = \(value) from \(input)", file: file, line: line)
        }
        for warning in result.warnings {
            XCTAssertFalse(warning.field.isEmpty || warning.message.isEmpty, file: file, line: line)
            XCTAssertLessThanOrEqual(warning.value.count, 80, file: file, line: line)
        }
    }

    static func fits(_ value: FieldValue, _ type: ValueType) -> Bool {
        switch (value, type) {
        case (.number(let n), .number): return n.isFinite
        case (.bool, .bool), (.member, .enumeration), (.set, .enumSet): return true
        case (.point(let lat, let lon), .point): return abs(lat) <= 90 && abs(lon) <= 180
        default: return false
        }
    }

    // MARK: generators

    private func randomJSON(_ rng: inout SeededRandom, depth: Int) -> JSONValue {
        let roll = rng.next() % (depth > 5 ? 5 : 8)
        switch roll {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(Self.randomNumber(&rng))
        case 3, 4: return .string(Self.strings[Int(rng.next() % UInt64(Self.strings.count))])
        case 5: return .array((0..<Int(rng.next() % 4)).map { _ in randomJSON(&rng, depth: depth + 1) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int(rng.next() % 6) {
                object[Self.keys[Int(rng.next() % UInt64(Self.keys.count))]] = randomJSON(&rng, depth: depth + 1)
            }
            return .object(object)
        }
    }

    private func mutate(_ value: JSONValue, _ rng: inout SeededRandom) -> JSONValue {
        switch value {
        case .object(var o) where !o.isEmpty && rng.next() % 4 != 0:
            let key = o.keys.sorted()[Int(rng.next() % UInt64(o.count))]
            o[key] = mutate(o[key]!, &rng)
            return .object(o)
        case .array(var a) where !a.isEmpty && rng.next() % 4 != 0:
            let i = Int(rng.next() % UInt64(a.count))
            a[i] = mutate(a[i], &rng)
            return .array(a)
        default:
            return randomJSON(&rng, depth: 3)
        }
    }

    private static func randomNumber(_ rng: inout SeededRandom) -> Double {
        let specials: [Double] = [0, -0.0, 1e308, -1e308, .infinity, -.infinity, .nan, 0.1, -5, 200, 91, 181]
        if rng.next() % 3 == 0 { return specials[Int(rng.next() % UInt64(specials.count))] }
        return Double(Int64(bitPattern: rng.next()) % 100_000) / 10
    }

    private static func monitorPath(_ rng: inout SeededRandom) -> String {
        let paths = Catalog.monitorPaths.map(\.path) + ["vehicle.alarm.status.activation", "x", ""]
        return paths[Int(rng.next() % UInt64(paths.count))]
    }
}
