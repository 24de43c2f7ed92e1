import VigieKit

/// Realistic generated rule files for `vigie bench validate`: each file one bundle
/// with zones and schedules, its rules cycling through the constructs the language
/// has (units, enums, `in`, functions, `for`, `during`, `repeat`, templates, remotes).
enum ValidateBenchmarkCorpus {
    static func files(rules: Int, files: Int) -> [String] {
        let count = max(files, 1)
        return (0..<count).map { i in
            let share = rules / count + (i < rules % count ? 1 : 0)
            return file(index: i, rules: share)
        }
    }

    static func file(index: Int, rules: Int) -> String {
        var out = """
            vigie: 1
            bundle: bench-\(index)
            description: Generated benchmark bundle \(index)
            timezone: Europe/Paris
            vehicles: all
            zones:
              depot: { center: { lat: 48.8667, lon: 2.3333 }, radius: 2 km }
              home: { center: { lat: 45.7640, lon: 4.8357 }, radius: 300 m }
            schedules:
              off_peak: { days: [Mon, Tue, Wed, Thu, Fri], from: "22:00", to: "06:00" }
              morning: { from: "07:00", to: "08:30" }
            rules:

            """
        for r in 0..<rules { out += rule(r) }
        return out
    }

    /// Rule `r`: one of eight shapes; thresholds vary with `r` so no two rules are
    /// the same text.
    static func rule(_ r: Int) -> String {
        shapes[r % shapes.count](r)
    }

    static let shapes: [@Sendable (Int) -> String] = [charge, warmUp, fuel, geofence, speeding, lock, chargeFailure, mileage]

    static func charge(_ r: Int) -> String {
        let level = 5 + r % 90
        return """
              - id: rule-\(r)
                description: Charge when low and plugged in
                when: battery.level < \(level) % and charging.plugged and charging.status in [Disconnected, Stopped]
                for: 5m
                during: off_peak
                then:
                  - charge: start
                  - notify: "{{vin}}: battery at {{battery.level}} %, charging"
                cooldown: 1h

            """
    }

    static func warmUp(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: outside.temperature < \(r % 15 - 5) °C and not moving
                during: morning
                then: [precondition: start, notify: "{{vin}} warming at {{outside.temperature}} °C"]
                max_per_day: 1

            """
    }

    static func fuel(_ r: Int) -> String {
        let level = 5 + r % 90, km = 10 + r % 400
        return """
              - id: rule-\(r)
                when: 'fuel.level < \(level) % and fuel.autonomy < \(km) km'
                then:
                  - notify: "{{vin}}: fuel {{fuel.level}} %"
                repeat: 2h
                max_per_day: 3

            """
    }

    static func geofence(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: entered(depot) or left(home)
                then: [notify: "{{vin}} at {{position}}"]

            """
    }

    static func speeding(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: >
                  speed > \(80 + r % 80) km/h
                  and ignition in [Start, StartUp]
                for: 30s
                then:
                  - notify: "{{vin}} at {{speed}} km/h"
                cooldown: 10m

            """
    }

    static func lock(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: not doors.locked and not moving and inside(depot)
                for: 10m
                then: [doors: lock, lights: on]
                cooldown: 30m

            """
    }

    static func chargeFailure(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: changed(charging.status) and charging.status == Failure
                then: [notify: "{{vin}}: charging failed ({{rule}}, {{bundle}})"]

            """
    }

    static func mileage(_ r: Int) -> String {
        return """
              - id: rule-\(r)
                when: "odometer >= \(10_000 + r * 7) km and privacy != Full"
                then: [notify: "{{vin}} passed {{odometer}} km"]

            """
    }
}
