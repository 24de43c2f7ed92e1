import RuleEngine
import VehicleData

/// A deterministic stream of telemetry: each observation carries one to three fields
/// of one vehicle (battery drifting, speed, plug, charging status, position, temperature),
/// or with `fullSnapshot` all eight of them (as a replay's `set` line or a status poll
/// brings them), after the same drift.
struct BenchStream {
    var generator: SplitMix64
    let vehicles: Int
    var fullSnapshot = false
    var vehicle: [Int32] = []
    var at: [Millis] = []
    var offsets: [Int32] = [0]
    var values: [(FieldID, FieldValue)] = []

    init(seed: UInt64, vehicles: Int) {
        generator = SplitMix64(state: seed)
        self.vehicles = vehicles
    }

    static func vin(_ i: Int) -> String {
        let digits = String(i)
        return "VR3BENCH" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    mutating func next() -> UInt64 { generator.next() }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func make(count: Int, start: Millis) -> BenchStream {
        func f(_ n: String) -> FieldID { Catalog.field(named: n)!.id }
        let battery = f("battery.level"), autonomy = f("autonomy"), plugged = f("charging.plugged")
        let status = f("charging.status"), speed = f("speed"), moving = f("moving"), temp = f("outside.temperature")
        let position = f("position")
        let statuses = ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"]
        // Per-vehicle telemetry that drifts like a real car's: a day of observations,
        // evenly spread; most messages repeat or nudge a value.
        var level = (0..<vehicles).map { _ in Double(20 + below(80)) }
        var kmh = (0..<vehicles).map { _ in Double(below(60)) }
        var lat = (0..<vehicles).map { _ in 48.80 + Double(below(200)) / 1000 }
        var lon = (0..<vehicles).map { _ in 2.25 + Double(below(200)) / 1000 }
        var celsius = (0..<vehicles).map { _ in Double(below(30)) }
        var plug = (0..<vehicles).map { _ in below(3) == 0 }
        var chargeStatus = Array(repeating: 0, count: vehicles)
        let step = max(1, Millis(86_400_000) / Millis(max(count, 1)))
        vehicle.reserveCapacity(count)
        at.reserveCapacity(count)
        offsets.reserveCapacity(count + 1)
        values.reserveCapacity(count * (fullSnapshot ? 8 : 2))
        for i in 0..<count {
            let v = below(vehicles)
            vehicle.append(Int32(v))
            at.append(start + Millis(i) * step)
            switch below(20) {
            case 0..<8: // kinetic
                kmh[v] = max(0, min(160, kmh[v] + Double(below(21)) - 10))
                values.append((speed, .number(kmh[v])))
                values.append((moving, .bool(kmh[v] > 0)))
            case 8..<12: // position
                lat[v] += Double(below(3) - 1) / 1000
                lon[v] += Double(below(3) - 1) / 1000
                values.append((position, .point(latitude: lat[v], longitude: lon[v])))
            case 12..<15: // battery: often unchanged
                if below(4) == 0 { level[v] = max(0, min(100, level[v] + (plug[v] ? 1 : -1))) }
                values.append((battery, .number(level[v])))
                values.append((autonomy, .number((level[v] * 3.5).rounded())))
            case 15, 16: // air temperature
                celsius[v] += Double(below(3) - 1) / 2
                values.append((temp, .number(celsius[v])))
            case 17: // plug and charging status
                if below(4) == 0 { plug[v].toggle() }
                values.append((plugged, .bool(plug[v])))
                let s = plug[v] ? 1 + below(4) : 0
                chargeStatus[v] = s
                values.append((status, .member(statuses[s])))
            default: // a status poll that changes nothing
                values.append((battery, .number(level[v])))
                values.append((speed, .number(kmh[v])))
            }
            if fullSnapshot {
                // Every field, sorted by field (the drift above is kept, its values replaced).
                values.removeSubrange(Int(offsets[offsets.count - 1])...)
                values.append((battery, .number(level[v])))
                values.append((autonomy, .number((level[v] * 3.5).rounded())))
                values.append((plugged, .bool(plug[v])))
                values.append((status, .member(statuses[plug[v] ? chargeStatus[v] : 0])))
                values.append((speed, .number(kmh[v])))
                values.append((moving, .bool(kmh[v] > 0)))
                values.append((temp, .number(celsius[v])))
                values.append((position, .point(latitude: lat[v], longitude: lon[v])))
                values.sort(from: Int(offsets[offsets.count - 1]))
            }
            offsets.append(Int32(values.count))
        }
        return self
    }
}

private extension Array where Element == (FieldID, FieldValue) {
    mutating func sort(from start: Int) {
        self[start...].sort { $0.0 < $1.0 }
    }
}
