import Foundation
import VehicleData
import VigieKit

/// `vigie bench decode`: how fast status payloads and monitor values become observations.
/// Payloads alternate between the schema's shape and the real-world shape, with values
/// varied by a seeded generator; each figure is the best of `rounds` timed passes.
package enum DecodeBenchmark {
    package struct Figures: Sendable {
        package var payloads: Int
        package var bytesPerPayload: Int
        package var decodePerSecond: Double
        package var parseAndDecodePerSecond: Double
        package var codableParseAndDecodePerSecond: Double
        package var monitorValuesPerSecond: Double
        package var warnings: Int
    }

    package static func run(payloads count: Int, rounds: Int = 3) throws -> Figures {
        let texts = (0..<count).map { payloadText($0) }
        let values = try texts.map { try JSONValue(parsing: $0) }
        let monitorValues = (0..<count).map { monitorValuesFor($0) }
        var warnings = 0
        let decode = best(rounds) {
            var fields = 0
            for value in values {
                let result = StatusDecoder.decode(value)
                fields &+= result.observation.values.count
                warnings = result.warnings.count
            }
            return fields
        }
        let parse = try bestThrowing(rounds) {
            var fields = 0
            for text in texts {
                fields &+= StatusDecoder.decode(try JSONValue(parsing: text)).observation.values.count
            }
            return fields
        }
        let codableCount = max(1, count / 20)
        let codable = try bestThrowing(1) {
            var fields = 0
            for text in texts.prefix(codableCount) {
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                fields &+= StatusDecoder.decode(value).observation.values.count
            }
            return fields
        }
        let monitor = best(rounds) {
            monitorValues.reduce(0) { $0 &+ MonitorValueMapping.decode(values: $1).observation.values.count }
        }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count } / max(count, 1)
        return Figures(payloads: count, bytesPerPayload: bytes, decodePerSecond: Double(count) / decode,
                       parseAndDecodePerSecond: Double(count) / parse,
                       codableParseAndDecodePerSecond: Double(codableCount) / codable, monitorValuesPerSecond: Double(count) / monitor,
                       warnings: warnings)
    }

    package static func report(_ f: Figures) -> String {
        func rate(_ x: Double) -> String { String(format: "%.0f", x) }
        return """
        payloads: \(f.payloads) (\(f.bytesPerPayload) bytes of JSON each, both status shapes)
        StatusDecoder.decode (JSONValue → observation): \(rate(f.decodePerSecond)) payloads/s
        JSON text → JSONValue(parsing:) → observation: \(rate(f.parseAndDecodePerSecond)) payloads/s
        JSON text → JSONDecoder (Codable JSONValue) → observation: \(rate(f.codableParseAndDecodePerSecond)) payloads/s
        MonitorValueMapping.decode (3 values each): \(rate(f.monitorValuesPerSecond)) events/s
        """
    }

    // MARK: timing

    private static func best(_ rounds: Int, _ body: () -> Int) -> Double {
        var best = Double.infinity
        var sink = 0
        for _ in 0..<max(rounds, 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            sink &+= body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        precondition(sink >= 0)
        return max(best, 1e-9)
    }

    private static func bestThrowing(_ rounds: Int, _ body: () throws -> Int) throws -> Double {
        var failure: Error?
        let seconds = best(rounds) {
            do { return try body() } catch { failure = error; return 0 }
        }
        if let failure { throw failure }
        return seconds
    }

    // MARK: payloads

    static func payloadText(_ i: Int) -> String {
        let level = Double(i % 1000) / 10, autonomy = i % 400, speed = Double(i % 1300) / 10
        let status = ["Disconnected", "InProgress", "Finished", "Stopped"][i % 4]
        let lat = 48 + Double(i % 1000) / 1000, lon = 2 + Double(i % 777) / 1000
        if i % 2 == 0 {
            return """
            {"createdAt":"2026-11-27T08:00:00Z","_links":{"self":{"href":"x"}},
             "energies":[{"type":"Fuel","level":\(100 - level),"autonomy":\(autonomy + 100)},
              {"type":"Electric","level":\(level),"autonomy":\(autonomy),"extension":{"electric":{"charging":
               {"plugged":\(i % 3 == 0),"status":"\(status)","remainingTime":"PT\(i % 5)H\(i % 60)M",
                "chargingRate":\(i % 50),"chargingMode":"Slow","type":"Full"}}}}],
             "kinetic":{"speed":\(speed),"moving":\(speed > 0)},"odometer":{"mileage":\(10000 + i)},
             "environment":{"air":{"temp":\(Double(i % 40) - 10)}},"ignition":{"type":"Stop"},
             "privacy":{"state":"None"},"alarm":{"status":{"activation":"Active"}},
             "doorsState":{"lockedStates":["Locked"],"opening":[{"identifier":"Driver","state":"Closed"}]},
             "lastPosition":{"type":"Feature","geometry":{"type":"Point","coordinates":[\(lon),\(lat)]},
              "properties":{"createdAt":"2026-11-27T08:00:00Z"}}}
            """
        }
        return """
        {"createdAt":null,"energy":[{"type":"Fuel","level":0,"autonomy":null},
          {"type":"Electric","level":\(level),"autonomy":\(autonomy),"updatedAt":null,
           "charging":{"plugged":\(i % 3 == 0),"status":"\(status)","chargingMode":"No"}}],
         "kinetic":{"speed":\(speed),"moving":\(speed > 0)},"odometer":{"mileage":\(10000 + i)},
         "preconditionning":{"airConditioning":{"status":"Disabled"}},
         "doorsState":{"lockedStates":["Locked","TrunkUnLocked"]},
         "lastPosition":{"geometry":{"coordinates":[\(lon),\(lat),35.5]}},"extra":{"a":[1,2,3]}}
        """
    }

    static func monitorValuesFor(_ i: Int) -> [JSONValue] {
        [
            .object(["data": .string("vehicle.energy.electric.level"), "value": .string(String(i % 100))]),
            .object(["data": .string("vehicle.energy.charging.plugged"), "value": .string(i % 2 == 0 ? "true" : "false")]),
            .object(["data": .string("vehicle.energy.charging.status"),
                     "value": .object(["type": .string("string"), "body": .object(["literalValue": .string("InProgress")])])]),
        ]
    }
}
