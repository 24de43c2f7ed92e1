// Codes of checking: expressions, values, actions, and warnings.
extension DiagnosticCodeCatalog {
    static let zoneTop = "zones:\n  depot: {center: {lat: 48.8667, lon: 2.3333}, radius: 2 km}\n"
    static let scheduleTop = "schedules:\n  off_peak: {days: [Mon, Tue, Wed, Thu, Fri], from: \"22:00\", to: \"06:00\"}\n"

    static var expressions: [DiagnosticCode] {
        [
            DiagnosticCode(
                "expression-syntax", .error, "A condition or template that does not parse.",
                triggering: file(rule(when: "battery.level < and charging.plugged")),
                nonTriggering: file(rule(when: "battery.level < 20 and charging.plugged"))),
            DiagnosticCode(
                "unknown-field", .error, "A name that is no field of the catalog (with the nearest field).",
                triggering: file(rule(when: "battery.levl < 20")), nonTriggering: file()),
            DiagnosticCode(
                "unknown-member", .error, "A value that is no member of the field's enumeration (with the nearest member).",
                triggering: file(rule(when: "charging.status == Charging")),
                nonTriggering: file(rule(when: "charging.status == InProgress"))),
            DiagnosticCode(
                "unit-mismatch", .error, "A unit of another dimension than the field's (a `km` is not a `%`).",
                triggering: file(rule(when: "battery.level < 20 km")), nonTriggering: file()),
            DiagnosticCode(
                "missing-unit", .error, "A duration or a zone radius given without a unit.",
                triggering: file(rule(when: "inside(depot)"), top: "zones:\n  depot: {center: {lat: 48.8667, lon: 2.3333}, radius: 2}\n"),
                nonTriggering: file(rule(when: "inside(depot)"), top: zoneTop)),
            DiagnosticCode(
                "out-of-range", .error,
                "A number outside its field's or setting's range (`120 %`, latitude 95, a negative `max_per_day` such as `-1`, a zero `for` or `cooldown`).",
                triggering: file(rule(when: "battery.level < 120 %")), nonTriggering: file()),
            DiagnosticCode(
                "type-mismatch", .error, "Values of different types compared or combined (`speed == InProgress`, `battery.level and moving`).",
                triggering: file(rule(when: "battery.level and charging.plugged")),
                nonTriggering: file(rule(when: "battery.level < 20 and charging.plugged"))),
            DiagnosticCode(
                "unknown-zone", .error, "`inside`, `entered`, `left` or `navigate` name a zone the bundle does not define.",
                triggering: file(rule(when: "inside(depto)"), top: zoneTop),
                nonTriggering: file(rule(when: "inside(depot)"), top: zoneTop)),
            DiagnosticCode(
                "unknown-schedule", .error, "`within` or `during` name a schedule the bundle does not define.",
                triggering: file(rule(extra: "    during: offpeak\n"), top: scheduleTop),
                nonTriggering: file(rule(extra: "    during: off_peak\n"), top: scheduleTop)),
            DiagnosticCode(
                "unknown-function", .error, "A function other than inside, entered, left, changed, within, has, age.",
                triggering: file(rule(when: "near(depot)"), top: zoneTop),
                nonTriggering: file(rule(when: "inside(depot)"), top: zoneTop)),
            DiagnosticCode(
                "bad-arguments", .error, "A function called with the wrong number or kind of arguments.",
                triggering: file(rule(when: "changed(battery.level, 5)")),
                nonTriggering: file(rule(when: "changed(battery.level)"))),
        ]
    }

    static var values: [DiagnosticCode] {
        [
            DiagnosticCode(
                "bad-duration", .error, "A duration must be a number with a unit `s`, `m`, `h` or `d` (`30s`, `5m`, `1.5h`).",
                triggering: file(rule(extra: "    for: 5 minutes\n")), nonTriggering: file(rule(extra: "    for: 5m\n"))),
            DiagnosticCode(
                "bad-time", .error, "A wall-clock time must be `HH:MM` from 00:00 to 24:00 (`24:00` only as a schedule's `to`).",
                triggering: file(rule(), top: "schedules:\n  night: {from: \"22:00\", to: \"25:00\"}\n"),
                nonTriggering: file(rule(extra: "    during: night\n"), top: "schedules:\n  night: {from: \"22:00\", to: \"06:00\"}\n")),
            DiagnosticCode(
                "unknown-timezone", .error, "`timezone` must be an IANA time-zone name such as `Europe/Paris`.",
                triggering: file(top: "timezone: Europe/Pariss\n"), nonTriggering: file(top: "timezone: Europe/Paris\n")),
        ]
    }

    static var actions: [DiagnosticCode] {
        [
            DiagnosticCode(
                "bad-action", .error, "An action the API has no remote for, or an argument it does not take (`doors: open`).",
                triggering: file(rule(then: "      - doors: open\n")), nonTriggering: file(rule(then: "      - doors: lock\n"))),
            DiagnosticCode(
                "unknown-template-name", .error, "A `{{name}}` in a notify template other than vin, rule, bundle, a field alias or `age(` a field alias `)`.",
                triggering: file(rule(then: "      - notify: \"{{car}} is low\"\n")),
                nonTriggering: file(rule(then: "      - notify: \"{{vin}} is low\"\n"))),
            DiagnosticCode(
                "sensitive-action", .error,
                "An action that opens the car to others (`doors: unlock`) without the bundle's opt-in `allow: [doors.unlock]`.",
                triggering: file(rule(then: "      - doors: unlock\n")),
                nonTriggering: file(rule(then: "      - doors: unlock\n"), top: "allow: [doors.unlock]\n")),
        ]
    }

    static var warnings: [DiagnosticCode] {
        [
            DiagnosticCode(
                "always-false", .warning, "The condition can never be true.",
                triggering: file(rule(when: "battery.level < 20 and battery.level > 50")), nonTriggering: file()),
            DiagnosticCode(
                "always-true", .warning, "The condition is true whatever the data (once known).",
                triggering: file(rule(when: "battery.level < 20 or battery.level >= 20")), nonTriggering: file()),
            DiagnosticCode(
                "never-fires", .warning,
                "The rule can never fire though its condition can hold (a `for` longer than every `during` window, `max_per_day: 0`, a schedule with no days).",
                triggering: file(rule(extra: "    for: 9h\n    during: off_peak\n"), top: scheduleTop),
                nonTriggering: file(rule(extra: "    for: 5m\n    during: off_peak\n"), top: scheduleTop)),
            DiagnosticCode(
                "event-with-for", .warning, "`for` on a condition that needs an event (entered, left, changed) can never hold.",
                triggering: file(rule(when: "entered(depot)", extra: "    for: 5m\n"), top: zoneTop),
                nonTriggering: file(rule(when: "inside(depot)", extra: "    for: 5m\n"), top: zoneTop)),
            DiagnosticCode(
                "conflicting-rules", .warning,
                "Two rules of a bundle send opposite commands (lock/unlock, charge start/stop, precondition start/stop) under conditions that can hold together.",
                triggering: file("  - {id: start, when: battery.level < 50, then: [charge: start]}\n"
                                 + "  - {id: stop, when: battery.level > 40, then: [charge: stop]}\n"),
                nonTriggering: file("  - {id: start, when: battery.level < 50, then: [charge: start]}\n"
                                    + "  - {id: stop, when: battery.level > 80, then: [charge: stop]}\n")),
            DiagnosticCode(
                "feedback-loop", .warning,
                "A rule's own action changes a field its condition reads so that it fires again by itself (`charging.status != InProgress` → `charge: start`); acknowledge with the rule's `allow: [feedback]`.",
                triggering: file(rule(when: "battery.level < 20 % and charging.status != InProgress", then: "      - charge: start\n")),
                nonTriggering: file(rule(when: "battery.level < 20 % and charging.status in [Disconnected, Stopped]",
                                         then: "      - charge: start\n"))),
            DiagnosticCode(
                "feedback-cycle", .warning,
                "Rules (of one bundle or of bundles validated together) whose actions make each other's conditions true in a cycle; reported at each rule's action with the cycle's path.",
                triggering: file("  - {id: start, when: charging.plugged and charging.status != InProgress, then: [charge: start]}\n"
                                 + "  - {id: stop, when: charging.status == InProgress, then: [charge: stop]}\n"),
                nonTriggering: file("  - {id: start, when: battery.level < 20 and charging.status == Disconnected, then: [charge: start]}\n"
                                    + "  - {id: stop, when: battery.level > 80 and charging.status == InProgress, then: [charge: stop]}\n")),
            DiagnosticCode(
                "unused-zone", .warning, "A zone no rule uses.",
                triggering: file(top: zoneTop), nonTriggering: file(rule(when: "inside(depot)"), top: zoneTop)),
            DiagnosticCode(
                "unused-schedule", .warning, "A schedule no rule uses.",
                triggering: file(top: scheduleTop), nonTriggering: file(rule(extra: "    during: off_peak\n"), top: scheduleTop)),
        ]
    }
}
