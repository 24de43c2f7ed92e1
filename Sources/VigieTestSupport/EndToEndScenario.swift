import Foundation

/// The end-to-end scenario's rules and first instant, shared by the CLI's end-to-end tests
/// (`EndToEnd` in VigieCLITests) and the console's browser test: three simulated cars, a
/// bundle that charges a low car and notes departures, from Monday 06:30 (Paris) through
/// the morning commute. Each of those tests starts its own `DemoStack` with the second car
/// at 15 %, plugged in, not charging (the stack lives in VigieKit, above this module).
package enum EndToEndScenario {
    package static let bundle = """
        vigie: 1
        bundle: e2e
        timezone: Europe/Paris
        vehicles: all
        rules:
          - id: low-battery-charge
            when: battery.level < 20 % and charging.plugged and charging.status != InProgress
            then:
              - charge: start
              - notify: "{{vin}} at {{battery.level}} %, charging"
          - id: departure
            when: moving
            then:
              - lights: on
              - notify: "{{vin}} left"
        """

    /// Monday 23 November 2026, 06:30 in Paris (with seed 1 the first cars leave at 08:06).
    package static let start = Date(timeIntervalSince1970: 1_795_411_800)
}
