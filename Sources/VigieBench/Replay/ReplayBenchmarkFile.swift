import Foundation
import VehicleData

/// The input of `vigie bench replay`: a rule file of `rules` rules (the kinds of Rules/,
/// thresholds shifted so they differ) and a JSON Lines events file of `lines` lines over
/// `vehicles` vehicles, one simulated day, written by a seeded generator (the same seed
/// gives the same bytes). `set` lines carry 8 fields; in the `mixed` mix, a tenth of the
/// lines are `status` payloads in the schema's shape (`energies`), a tenth in the
/// real-world shape (`energy`, charging directly in the entry), a tenth webhook `message`s.
package struct ReplayBenchmarkFile {
    package enum Mix: String, Sendable, CaseIterable {
        /// Every line a `set` of 8 fields.
        case set
        /// 70 % `set`, 10 % `status` (energies), 10 % `status` (energy), 10 % `message`.
        case mixed
    }

    package var vehicles: Int
    package var rules: Int
    package var lines: Int
    package var seed: UInt64
    package var mix: Mix

    package init(vehicles: Int = 10_000, rules: Int = 50, lines: Int = 1_000_000, seed: UInt64 = 42, mix: Mix = .set) {
        self.vehicles = vehicles
        self.rules = rules
        self.lines = lines
        self.seed = seed
        self.mix = mix
    }

    /// The rule file: one bundle for every vehicle.
    package func rulesYAML() -> String {
        let kinds: [(when: (Int) -> String, extra: String, then: String)] = [
            ({ "battery.level < \(20 + $0) % and charging.plugged and charging.status != InProgress and within(off_peak)" },
             "    for: 5m\n    cooldown: 1h\n    allow: [feedback]\n", "      - charge: start\n      - notify: \"{{vin}}: battery at {{battery.level}} %\"\n"),
            ({ "battery.level < \(10 + $0) % and charging.plugged and charging.status in [Disconnected, Stopped, Failure]" },
             "    for: 2m\n    cooldown: 30m\n    allow: [feedback]\n", "      - charge: start\n      - notify: \"{{vin}}: battery at {{battery.level}} %\"\n"),
            ({ "changed(charging.plugged) and charging.plugged and battery.level >= \(20 + $0) % and not within(off_peak)" },
             "", "      - charge: { at: \"22:30\" }\n"),
            ({ "entered(depot) and battery.level > \(60 + $0) %" }, "", "      - charge: { level: Level2, type: Partial }\n"),
            ({ _ in "charging.plugged and charging.status == Failure" }, "    for: 1m\n    repeat: 1h\n    max_per_day: 4\n",
             "      - notify: \"{{vin}}: charging failed at {{battery.level}} %\"\n"),
            ({ "autonomy < \(40 + $0) km and moving and not inside(depot)" }, "    cooldown: 30m\n",
             "      - notify: \"{{vin}}: {{autonomy}} km left\"\n"),
            ({ "speed > \(130 + $0) km/h" }, "    for: 30s\n    cooldown: 10m\n    max_per_day: 3\n",
             "      - notify: \"{{vin}} at {{speed}} km/h\"\n"),
            ({ "not moving and outside.temperature > \(28 + $0) °C" }, "    for: 10m\n    max_per_day: 2\n",
             "      - precondition: start\n"),
            ({ _ in "left(home) and within(night)" }, "", "      - horn: on\n      - notify: \"{{vin}} left home at night\"\n"),
            ({ "moving and speed > \(20 + $0) km/h and not inside(depot)" }, "    cooldown: 1h\n",
             "      - notify: \"{{vin}} moving at {{speed}} km/h\"\n"),
        ]
        var text = """
            vigie: 1
            bundle: bench
            timezone: Europe/Paris
            vehicles: all
            zones:
              depot: { center: { lat: 48.8667, lon: 2.3333 }, radius: 2 km }
              home: { center: { lat: 48.80, lon: 2.25 }, radius: 500 m }
            schedules:
              off_peak: { days: [Mon, Tue, Wed, Thu, Fri], from: "22:00", to: "06:00" }
              night: { from: "23:00", to: "05:00" }
            rules:

            """
        for i in 0..<rules {
            let kind = kinds[i % kinds.count]
            text += "  - id: rule-\(i)\n    when: \(kind.when(i / kinds.count))\n" + kind.extra + "    then:\n" + kind.then
        }
        return text
    }

    /// Writes the events file to `path`, `chunk` bytes at a time (memory stays flat).
    package func writeEvents(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ReplayBenchmarkError(message: "cannot write \(path)")
        }
        defer { try? handle.close() }
        var generator = Generator(file: self)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for i in 0..<lines {
            generator.line(i, into: &buffer)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// The telemetry of each vehicle drifts like a real car's; lines are evenly spread
    /// over one day from 2026-03-02T00:00:00Z (milliseconds shown when not zero).
    struct Generator {
        let file: ReplayBenchmarkFile
        var generator: SplitMix64
        var level: [Int], kmh: [Int], lat: [Int], lon: [Int], celsius: [Int], plug: [Bool], status: [Int]
        let step: Int64
        static let statuses = ["Disconnected", "InProgress", "Failure", "Stopped", "Finished"]
        static let start: Int64 = 1_772_409_600_000   // 2026-03-02T00:00:00Z

        init(file: ReplayBenchmarkFile) {
            self.file = file
            generator = SplitMix64(state: file.seed)
            level = []; kmh = []; lat = []; lon = []; celsius = []; plug = []; status = []
            step = max(1, 86_400_000 / Int64(max(file.lines, 1)))
            for _ in 0..<file.vehicles {
                level.append(20 + below(80))
                kmh.append(below(60))
                lat.append(48_800 + below(200))   // thousandths of a degree
                lon.append(2_250 + below(200))
                celsius.append(below(60))          // halves of a degree
                plug.append(below(3) == 0)
                status.append(0)
            }
        }

        mutating func next() -> UInt64 { generator.next() }

        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

        static func time(_ t: Int64) -> String {
            let ms = Int(t % 1000), s = t / 1000
            let secOfDay = Int(s % 86_400), day = 2 + Int(s / 86_400 - 20_514)
            func pad(_ n: Int, _ w: Int) -> String {
                let d = String(n)
                return String(repeating: "0", count: max(0, w - d.count)) + d
            }
            var out = "2026-03-\(pad(day, 2))T\(pad(secOfDay / 3600, 2)):\(pad(secOfDay / 60 % 60, 2)):\(pad(secOfDay % 60, 2))"
            if ms != 0 { out += "." + pad(ms, 3) }
            return out + "Z"
        }

        static func decimal(_ n: Int, _ scale: Int) -> String {
            let sign = n < 0 ? "-" : ""
            let a = abs(n), whole = a / scale, frac = a % scale
            guard frac != 0 else { return sign + String(whole) }
            var f = String(frac)
            f = String(repeating: "0", count: String(scale).count - 1 - f.count) + f
            while f.hasSuffix("0") { f.removeLast() }
            return sign + String(whole) + "." + f
        }

        /// Moves vehicle `v` a little: speed, position, battery, temperature, plug.
        mutating func drift(_ v: Int) {
            kmh[v] = max(0, min(160, kmh[v] + below(7) - 3))
            if kmh[v] > 0 {
                lat[v] += below(3) - 1
                lon[v] += below(3) - 1
            }
            if below(4) == 0 { level[v] = max(0, min(100, level[v] + (plug[v] ? 1 : -1))) }
            celsius[v] += below(3) - 1
            if below(100) == 0 { plug[v].toggle() }
            if below(30) == 0 { status[v] = plug[v] ? 1 + below(4) : 0 }
            if !plug[v] { status[v] = 0 }
        }

        mutating func line(_ i: Int, into out: inout [UInt8]) {
            let v = below(file.vehicles)
            drift(v)
            let head = #"{"at": ""# + Self.time(Self.start + Int64(i) * step) + #"", "vin": ""# + BenchStream.vin(v) + "\", "
            let kind = file.mix == .set ? 0 : below(10)
            let autonomy = level[v] * 7 / 2
            let body: String
            switch kind {
            case 7: // status, the schema's shape
                body = #""status": {"energies": [{"type": "Electric", "level": \#(level[v]), "autonomy": \#(autonomy), "#
                    + #""extension": {"electric": {"charging": {"plugged": \#(plug[v]), "status": "\#(Self.statuses[status[v]])"}}}}], "#
                    + #""environment": {"air": {"temp": \#(Self.decimal(celsius[v] * 5, 10))}}, "#
                    + #""lastPosition": {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["#
                    + Self.decimal(lon[v], 1000) + ", " + Self.decimal(lat[v], 1000) + "]}}}}"
            case 8: // status, the real-world shape
                body = #""status": {"energy": [{"type": "Electric", "level": \#(level[v]), "autonomy": \#(autonomy), "#
                    + #""charging": {"plugged": \#(plug[v]), "status": "\#(Self.statuses[status[v]])", "chargingMode": "No"}}], "#
                    + #""lastPosition": {"geometry": {"coordinates": ["# + Self.decimal(lon[v], 1000) + ", "
                    + Self.decimal(lat[v], 1000) + ", 35]}}}}"
            case 9: // a webhook Monitor message: the battery level
                body = #""message": {"callbackId": "cb1", "type": "Monitor", "date": "2026-03-02T00:00:00Z", "#
                    + #""monitorEvent": {"monitorId": "m1", "values": [{"data": "vehicle.energy.electric.level", "#
                    + #""value": {"type": "string", "body": {"literalValue": "\#(level[v])"}}}]}}}"#
            default:
                body = #""set": {"battery.level": \#(level[v]), "autonomy": \#(autonomy), "#
                    + #""charging.plugged": \#(plug[v]), "charging.status": "\#(Self.statuses[status[v]])", "#
                    + #""speed": \#(kmh[v]), "moving": \#(kmh[v] > 0), "outside.temperature": \#(Self.decimal(celsius[v] * 5, 10)), "#
                    + #""position": {"lat": \#(Self.decimal(lat[v], 1000)), "lon": \#(Self.decimal(lon[v], 1000))}}}"#
            }
            out.append(contentsOf: head.utf8)
            out.append(contentsOf: body.utf8)
            out.append(UInt8(ascii: "\n"))
        }
    }
}

/// A benchmark that cannot run (its files cannot be written or read).
package struct ReplayBenchmarkError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
